/**
 * `flow-nudge backfill jira|github|gitlab|linear|azure-devops`: loads a stream's history from the
 * tracker's REST API, with a progress bar, honouring rate limits, resumable.
 */
import type { Command } from 'commander';
import { loadConfig, type SourceConfig } from '../../config/load-config.ts';
import type { Store } from '../../store/database.ts';
import { saveConfiguredStream } from '../../http/save-configured-stream.ts';
import { backfillAzureDevops } from '../../trackers/azure-devops/backfill.ts';
import { backfillGithub } from '../../trackers/github/backfill.ts';
import { backfillGitlab } from '../../trackers/gitlab/backfill.ts';
import { backfillLinear } from '../../trackers/linear/backfill.ts';
import { backfillJira } from '../../trackers/jira/backfill.ts';
import type { BackfillResult } from '../../trackers/backfill-options.ts';
import { CliError, type CliContext, type Progress } from '../context.ts';
import { requireStream } from '../stream-arg.ts';

/** The stream's source of this vendor in flow-nudge.yaml that `pick` takes (its tokenEnv, apiUrl, project), if any. */
async function configuredSource(ctx: CliContext, name: string, pick: (s: SourceConfig) => boolean): Promise<SourceConfig | undefined> {
  const config = await loadConfig(ctx.env, { requireSecrets: false });
  return config.streams.find((s) => s.name === name)?.sources.find(pick);
}

/** The API token: from the variable the source's tokenEnv names, else `fallback`; unset → the variable and the fix. */
function tokenFor(ctx: CliContext, source: SourceConfig | undefined, fallback: string, vendor: string, what: string): { token: string; tokenVariable: string } {
  const name = source?.tokenEnv ?? fallback;
  const value = ctx.env[name]?.trim();
  if (value) return { token: value, tokenVariable: name };
  const where = source?.tokenEnv ? ' (named by tokenEnv in flow-nudge.yaml)' : ` (or name another variable in tokenEnv of the stream's ${vendor} source in flow-nudge.yaml)`;
  throw new CliError(`${name} is not set${where}: set it to ${what}`);
}

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

interface BackfillRun {
  db: Store['db'];
  streamId: number;
  normalize: { typeMap?: NonNullable<SourceConfig['typeMap']> };
  restart?: true;
  now: () => number;
  onProgress: (done: number, total: number | null) => void;
  onWait: (seconds: number, reason: string) => void;
}

/** Opens the store, finds the stream, runs one vendor's backfill with a progress bar, prints the result. */
async function runBackfill(
  ctx: CliContext,
  vendor: string,
  options: { stream: string; restart?: boolean; json?: boolean },
  pick: (s: SourceConfig) => boolean,
  run: (common: BackfillRun) => Promise<BackfillResult>,
): Promise<void> {
  await ctx.withStore(async (store) => {
    const stream = await streamFor(ctx, store, options.stream, pick);
    const progress = progressReporter(ctx, `${vendor} backfill`);
    try {
      const result = await run({
        db: store.db, streamId: stream.id, normalize: stream.typeMap ? { typeMap: stream.typeMap } : {},
        ...(options.restart && { restart: true as const }),
        now: ctx.now, onProgress: progress.onProgress, onWait: progress.onWait,
      });
      progress.stop();
      report(ctx, `${vendor} backfill of ${options.stream}`, result, options.json);
    } catch (error) {
      progress.stop();
      throw new CliError(`${vendor} backfill stopped: ${(error as Error).message}. What was stored is kept; run the same command again to continue.`, 1);
    }
  });
}

function checkUrl(option: string, value: string, example: string): string {
  if (!/^https?:\/\/\S+$/.test(value)) throw new CliError(`${option} "${value}" is not a URL; use e.g. ${example}`);
  return value;
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
      const project = /project\s*=\s*"?([A-Z][A-Z0-9_]+)"?/i.exec(options.jql)?.[1];
      await runBackfill(ctx, 'jira', options, (s) => s.vendor === 'jira' && (!s.project || s.project === project), (common) =>
        backfillJira({ ...common, site: options.site, jql: options.jql, email, apiToken }));
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
      await runBackfill(ctx, 'github', options, (s) => s.vendor === 'github' && (!s.repo || s.repo.toLowerCase() === options.repo.toLowerCase()), (common) =>
        backfillGithub({ ...common, repo: options.repo, token, apiUrl: options.apiUrl }));
    });

  backfill
    .command('gitlab')
    .description("GitLab: a project's issues with their state and label events (scoped workflow:: labels are the columns; env GITLAB_TOKEN or the source's tokenEnv)")
    .requiredOption('--stream <name>', 'the value stream to fill')
    .option('--project <path>', "the project's full path, e.g. acme/platform (default: the project of the stream's gitlab source)")
    .option('--api-url <url>', 'the REST API root (self-managed: https://HOST/api/v4; default: the source\'s apiUrl, else https://gitlab.com/api/v4)')
    .option('--restart', 'ignore where the last run stopped and start from the first page')
    .option('--json', 'print the result as JSON')
    .action(async (options: { stream: string; project?: string; apiUrl?: string; restart?: boolean; json?: boolean }) => {
      const pick = (s: SourceConfig) => s.vendor === 'gitlab' && (!options.project || !s.project || s.project === options.project);
      const source = await configuredSource(ctx, options.stream, pick);
      const project = options.project ?? source?.project;
      if (!project) throw new CliError(`no GitLab project for stream ${options.stream}: pass --project group/project, or set project on its gitlab source in flow-nudge.yaml`);
      if (!/^[^/\s]+(\/[^/\s]+)+$/.test(project)) throw new CliError(`GitLab project "${project}" is not a full path such as acme/platform (group/subgroup/project, as in its URL)`);
      const apiUrl = checkUrl('--api-url', options.apiUrl ?? source?.apiUrl ?? 'https://gitlab.com/api/v4', 'https://gitlab.example.com/api/v4');
      const auth = tokenFor(ctx, source, 'GITLAB_TOKEN', 'gitlab', 'a GitLab personal, group or project access token with the read_api scope');
      await runBackfill(ctx, 'gitlab', options, pick, (common) => backfillGitlab({ ...common, ...auth, project, apiUrl }));
    });

  backfill
    .command('linear')
    .description("Linear: a team's issues with their history of workflow states (env LINEAR_API_KEY or the source's tokenEnv)")
    .requiredOption('--stream <name>', 'the value stream to fill')
    .option('--team <key>', "the team's key, as in its issue identifiers (PLAT-123 → PLAT; default: the team of the stream's linear source)")
    .option('--api-url <url>', 'the GraphQL endpoint (default: the source\'s apiUrl, else https://api.linear.app/graphql)')
    .option('--restart', 'ignore where the last run stopped and start from the first page')
    .option('--json', 'print the result as JSON')
    .action(async (options: { stream: string; team?: string; apiUrl?: string; restart?: boolean; json?: boolean }) => {
      const pick = (s: SourceConfig) => s.vendor === 'linear' && (!options.team || !s.team || s.team === options.team);
      const source = await configuredSource(ctx, options.stream, pick);
      const team = options.team ?? source?.team;
      if (!team) throw new CliError(`no Linear team for stream ${options.stream}: pass --team KEY, or set team on its linear source in flow-nudge.yaml`);
      if (!/^[A-Za-z0-9_]{1,20}$/.test(team)) throw new CliError(`Linear team "${team}" is not a team key such as PLAT (the letters before the number in PLAT-123)`);
      const apiUrl = checkUrl('--api-url', options.apiUrl ?? source?.apiUrl ?? 'https://api.linear.app/graphql', 'https://api.linear.app/graphql');
      const auth = tokenFor(ctx, source, 'LINEAR_API_KEY', 'linear', 'a Linear personal API key (Settings → Security & access → Personal API keys; read access) or an OAuth token with the read scope');
      await runBackfill(ctx, 'linear', options, pick, (common) => backfillLinear({ ...common, ...auth, team, apiUrl }));
    });

  backfill
    .command('azure-devops')
    .description("Azure DevOps: a team project's work items (WIQL) with their System.State updates (env AZURE_DEVOPS_TOKEN or the source's tokenEnv)")
    .requiredOption('--stream <name>', 'the value stream to fill')
    .option('--organization <name>', 'the organization (https://dev.azure.com/NAME; default: the organization of the stream\'s azure-devops source)')
    .option('--project <name>', "the team project's name (default: the project of the stream's azure-devops source)")
    .option('--api-url <url>', 'the organization URL when it is not https://dev.azure.com/ORG (Azure DevOps Server: https://HOST/COLLECTION)')
    .option('--restart', 'ignore where the last run stopped and start from the first page')
    .option('--json', 'print the result as JSON')
    .action(async (options: { stream: string; organization?: string; project?: string; apiUrl?: string; restart?: boolean; json?: boolean }) => {
      const pick = (s: SourceConfig) => s.vendor === 'azure-devops' && (!options.project || !s.project || s.project === options.project);
      const source = await configuredSource(ctx, options.stream, pick);
      const project = options.project ?? source?.project;
      if (!project) throw new CliError(`no Azure DevOps project for stream ${options.stream}: pass --project NAME, or set project on its azure-devops source in flow-nudge.yaml`);
      const organization = options.organization ?? source?.organization;
      const apiUrl = options.apiUrl ?? source?.apiUrl;
      if (!apiUrl && !organization) throw new CliError(`no Azure DevOps organization for stream ${options.stream}: pass --organization NAME (https://dev.azure.com/NAME), or set organization (or apiUrl) on its azure-devops source in flow-nudge.yaml`);
      if (!apiUrl && !/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(organization!)) throw new CliError(`Azure DevOps organization "${organization}" is not an organization name (the NAME in https://dev.azure.com/NAME)`);
      const organizationUrl = checkUrl('--api-url', apiUrl ?? `https://dev.azure.com/${organization}`, 'https://dev.azure.com/acme');
      const auth = tokenFor(ctx, source, 'AZURE_DEVOPS_TOKEN', 'azure-devops', 'an Azure DevOps personal access token with the Work Items (Read) scope');
      await runBackfill(ctx, 'azure-devops', options, pick, (common) => backfillAzureDevops({ ...common, ...auth, organizationUrl, project }));
    });
}
