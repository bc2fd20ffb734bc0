/**
 * `flow-nudge backfill jira|github`: loads a stream's history from the
 * tracker's REST API, with a progress bar, honouring rate limits, resumable.
 */
import type { Command } from 'commander';
import { loadConfig, type SourceConfig } from '../../config/load-config.ts';
import type { Store } from '../../store/database.ts';
import { saveConfiguredStream } from '../../http/save-configured-stream.ts';
import { backfillGithub } from '../../trackers/github/backfill.ts';
import { backfillJira, type BackfillResult } from '../../trackers/jira/backfill.ts';
import { CliError, type CliContext, type Progress } from '../context.ts';
import { requireStream } from '../stream-arg.ts';

/** The stream from the database, or from flow-nudge.yaml (saved then), with the type map of its matching source. */
async function streamFor(ctx: CliContext, store: Store, name: string, pick: (s: SourceConfig) => boolean) {
  const config = await loadConfig(ctx.env, { requireSecrets: false });
  const configured = config.streams.find((s) => s.name === name);
  if (configured) await saveConfiguredStream(store.db, configured, ctx.now(), (line) => ctx.stderr(line));
  const where = config.path ?? 'flow-nudge.yaml (or the file FLOW_NUDGE_CONFIG names)';
  const stream = await requireStream(
    store,
    name,
    `create it in ${where}: add "- name: ${name}" under streams:, with its map (the stages) and this tracker under sources (see examples/flow-nudge.yaml); backfill then saves it. Or import a history first: flow-nudge import FILE --stream ${name} --workflow MAP.yaml`,
  );
  const source = configured?.sources.find(pick);
  return { id: stream.id, typeMap: source?.typeMap };
}

function requireEnv(ctx: CliContext, names: string[], what: string): string[] {
  const missing = names.filter((n) => !ctx.env[n]?.trim());
  if (missing.length > 0) throw new CliError(`${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set: ${what}`);
  return names.map((n) => ctx.env[n]!.trim());
}

function report(ctx: CliContext, label: string, result: BackfillResult, json: boolean | undefined): void {
  if (json) {
    ctx.stdout(JSON.stringify(result));
    return;
  }
  ctx.stdout(
    `${label}: ${result.items} items, ${result.transitionsAdded} new transitions, ${result.pages} pages${result.resumed ? ' (continued from the last run)' : ''}` +
      (result.skipped.length ? `; skipped ${result.skipped.length}: ${result.skipped.slice(0, 5).map((s) => `${s.key} (${s.reason})`).join(', ')}` : ''),
  );
}

function progressReporter(ctx: CliContext, label: string) {
  let bar: Progress | null = null;
  return {
    onProgress(done: number, total: number | null) {
      bar ??= ctx.progress(label, total ?? Math.max(done, 1));
      bar.update(done, total ?? Math.max(done, 1));
    },
    onWait(seconds: number, reason: string) {
      ctx.stderr(`${label}: waiting ${seconds} s (${reason})`);
    },
    stop() {
      bar?.stop();
    },
  };
}

export function registerBackfillCommand(program: Command, ctx: CliContext): void {
  const backfill = program.command('backfill').description("load a stream's history from a tracker's REST API (resumable; run again to continue)");

  backfill
    .command('jira')
    .description('Jira Cloud: issues matched by JQL with their full changelog (env JIRA_EMAIL, JIRA_API_TOKEN)')
    .requiredOption('--stream <name>', 'the value stream to fill')
    .requiredOption('--site <url>', 'your Jira site, e.g. https://acme.atlassian.net')
    .requiredOption('--jql <query>', 'which issues, e.g. "project = CHK ORDER BY created ASC"')
    .option('--restart', 'ignore where the last run stopped and start from the first page')
    .option('--json', 'print the result as JSON')
    .action(async (options: { stream: string; site: string; jql: string; restart?: boolean; json?: boolean }) => {
      if (!/^https?:\/\//.test(options.site)) throw new CliError(`--site "${options.site}" is not a URL; use your Jira site, e.g. https://acme.atlassian.net`);
      const [email, apiToken] = requireEnv(ctx, ['JIRA_EMAIL', 'JIRA_API_TOKEN'], 'set JIRA_EMAIL to your Atlassian account e-mail and JIRA_API_TOKEN to an API token (id.atlassian.com → Security → API tokens)');
      await ctx.withStore(async (store) => {
        const project = /project\s*=\s*"?([A-Z][A-Z0-9_]+)"?/i.exec(options.jql)?.[1];
        const stream = await streamFor(ctx, store, options.stream, (s) => s.vendor === 'jira' && (!s.project || s.project === project));
        const progress = progressReporter(ctx, 'jira backfill');
        try {
          const result = await backfillJira({
            db: store.db, streamId: stream.id, site: options.site, jql: options.jql, email, apiToken,
            ...(stream.typeMap && { normalize: { typeMap: stream.typeMap } }),
            ...(options.restart && { restart: true }),
            now: ctx.now, onProgress: progress.onProgress, onWait: progress.onWait,
          });
          progress.stop();
          report(ctx, `jira backfill of ${options.stream}`, result, options.json);
        } catch (error) {
          progress.stop();
          throw new CliError(`jira backfill stopped: ${(error as Error).message}. What was stored is kept; run the same command again to continue.`, 1);
        }
      });
    });

  backfill
    .command('github')
    .description('GitHub: a repository\'s issues and their close/reopen events (env GITHUB_TOKEN)')
    .requiredOption('--stream <name>', 'the value stream to fill')
    .requiredOption('--repo <owner/name>', 'the repository, e.g. acme/checkout')
    .option('--api-url <url>', 'the REST API root (GitHub Enterprise: https://HOST/api/v3)', 'https://api.github.com')
    .option('--restart', 'ignore where the last run stopped and start from the first page')
    .option('--json', 'print the result as JSON')
    .action(async (options: { stream: string; repo: string; apiUrl: string; restart?: boolean; json?: boolean }) => {
      if (!/^[^/\s]+\/[^/\s]+$/.test(options.repo)) throw new CliError(`--repo "${options.repo}" is not OWNER/NAME, e.g. acme/checkout`);
      const [token] = requireEnv(ctx, ['GITHUB_TOKEN'], 'set it to a token that can read the repository\'s issues');
      await ctx.withStore(async (store) => {
        const stream = await streamFor(ctx, store, options.stream, (s) => s.vendor === 'github' && (!s.repo || s.repo.toLowerCase() === options.repo.toLowerCase()));
        const progress = progressReporter(ctx, 'github backfill');
        try {
          const result = await backfillGithub({
            db: store.db, streamId: stream.id, repo: options.repo, token, apiUrl: options.apiUrl,
            ...(stream.typeMap && { normalize: { typeMap: stream.typeMap } }),
            ...(options.restart && { restart: true }),
            now: ctx.now, onProgress: progress.onProgress, onWait: progress.onWait,
          });
          progress.stop();
          report(ctx, `github backfill of ${options.stream}`, result, options.json);
        } catch (error) {
          progress.stop();
          throw new CliError(`github backfill stopped: ${(error as Error).message}. What was stored is kept; run the same command again to continue.`, 1);
        }
      });
    });
}
