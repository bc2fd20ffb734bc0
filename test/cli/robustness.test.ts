/**
 * Issue 15, CLI robustness: a closed pipe, a busy port and a missing stream end the command with
 * one line (no stack trace) and the documented exit code; a changed map in flow-nudge.yaml is
 * logged with its diff at start.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabaseUrl, runCli, runCliInProcess } from './support/run-cli.ts';
import { openTestStore } from '../support/databases.ts';
import { startTestServer, testConfig } from '../http/support/test-server.ts';

const BIN = fileURLToPath(new URL('../../bin/flow-nudge.js', import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/import/${name}`, import.meta.url));
const STACK_LINE = /\n\s+at /;

/** Runs the real CLI with its stdout closed by the reader before anything is written (`| head`). */
function runWithClosedStdout(args: string[], env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('CLI robustness', () => {
  let env: Record<string, string>;
  beforeAll(async () => {
    env = { DATABASE_URL: freshDatabaseUrl() };
    const imported = await runCliInProcess(['import', fixture('history.csv'), '--stream', 'checkout', '--workflow', fixture('checkout.yaml')], { env });
    expect(imported.code).toBe(0);
  });

  it('report … | head: a closed stdout ends the report quietly with exit 0, no EPIPE stack trace', async () => {
    for (const args of [
      ['report', 'leadtime', '--stream', 'checkout', '--from', '2026-01-01', '--to', '2026-03-01'],
      ['report', 'throughput', '--stream', 'checkout', '--from', '2026-01-01', '--to', '2026-03-01', '--json'],
      ['--help'],
    ]) {
      const run = await runWithClosedStdout(args, env);
      expect(run.stderr).not.toContain('EPIPE');
      expect(run.stderr).not.toMatch(STACK_LINE);
      expect(run.code).toBe(0);
    }
  });

  describe('npm start on a busy port', () => {
    let holder: Server;
    afterEach(() => new Promise<void>((resolve) => holder.close(() => resolve())));

    it('ends with one line naming the port and PORT, exit 2, and does not loop on a destroyed database', async () => {
      holder = createServer();
      const port = await new Promise<number>((resolve) => holder.listen(0, () => resolve((holder.address() as { port: number }).port)));
      const cwd = mkdtempSync(join(tmpdir(), 'flow-nudge-start-'));
      const run = runCli(['start'], { env: { DATABASE_URL: freshDatabaseUrl(), PORT: String(port), LOG_LEVEL: 'warn' }, cwd });
      expect(run.code).toBe(2);
      const lines = run.stderr.trim().split('\n');
      expect(lines).toEqual([`flow-nudge: port ${port} is already in use (EADDRINUSE); stop what runs on it, or set PORT to a free port (PORT=3001 npm start)`]);
      expect(run.stderr).not.toContain('driver has already been destroyed');
    }, 60_000);
  });

  it('report prints its window in the stream\'s zone: --from 2026-08-01 --to 2026-09-01 is not "2026-07-31 to 2026-08-31"', async () => {
    // checkout is in Europe/Berlin: its midnights are 22:00 or 23:00 UTC the day before
    const run = await runCliInProcess(['report', 'throughput', '--stream', 'checkout', '--from', '2026-08-01', '--to', '2026-09-01'], { env });
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe('checkout · throughput · 2026-08-01 to 2026-09-01');
  });

  it('xmr rounds every number of its line the same way (was "centre 6.7 UNPL 13.202")', () => {
    const run = runCli(['xmr'], { input: '5 7 6 8 5 6 7 12 6 5', env });
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe('centre 6.7  UNPL 13.2  LNPL 0.2  mean mR 2.4  mR limit 8.0');
    const decimals = runCli(['xmr'], { input: '0.5 0.7 0.62 0.8 0.5 0.6', env });
    expect(decimals.stdout.split('\n')[0]).toBe('centre 0.620  UNPL 1.078  LNPL 0.162  mean mR 0.172  mR limit 0.562');
  });

  it('a usage error shows the command\'s expected form, exit 2', async () => {
    const cases: [string[], string, string][] = [
      [['report', 'leadtime'], "error: required option '--stream <name>' not specified", 'usage: flow-nudge report <metric> --stream <name> [options]  (flow-nudge report --help lists every option)'],
      [['import', 'history.csv'], "error: required option '--stream <name>' not specified", 'usage: flow-nudge import <file> --stream <name> [options]'],
      [['event', 'add', '--stream', 'checkout'], "error: missing required argument 'text'", 'usage: flow-nudge event add <text...> --stream <name> [options]'],
      [['backfill', 'jira', '--stream', 'checkout'], "error: required option '--site <url>' not specified", 'usage: flow-nudge backfill jira --stream <name> --site <url> --jql <query> [options]'],
      [['report', 'leadtime', '--stream', 'checkout', '--bogus'], "error: unknown option '--bogus'", 'usage: flow-nudge report <metric> --stream <name> [options]'],
    ];
    for (const [args, error, usage] of cases) {
      const run = await runCliInProcess(args, { env });
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toContain(error);
      expect(run.stderr).toContain(usage);
    }
  });

  it('backfill into a stream that does not exist says how to create one', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'flow-nudge-backfill-'));
    const config = join(cwd, 'flow-nudge.yaml');
    writeFileSync(config, 'streams: []\n');
    const run = await runCliInProcess(['backfill', 'github', '--stream', 'payments', '--repo', 'acme/payments'], {
      env: { ...env, GITHUB_TOKEN: 'not-used', FLOW_NUDGE_CONFIG: config },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('stream "payments" does not exist (known streams: checkout)');
    expect(run.stderr).toContain(`create it in ${config}: add "- name: payments" under streams:`);
    expect(run.stderr).toContain('flow-nudge import FILE --stream payments --workflow MAP.yaml');
    // the reports say it too
    const report = await runCliInProcess(['report', 'leadtime', '--stream', 'payments'], { env });
    expect(report.code).toBe(2);
    expect(report.stderr).toContain('create it by importing its history: flow-nudge import FILE --stream payments --workflow MAP.yaml');
  });
});

describe('flow-nudge.yaml map changes at start', () => {
  it('are logged with the stage diff, once, and stored', async () => {
    const store = await openTestStore('sqlite');
    try {
      const stages = [
        { name: 'Backlog', kind: 'backlog', statuses: ['To Do'] },
        { name: 'Development', kind: 'touch', statuses: ['In Progress'] },
        { name: 'Review', kind: 'wait', statuses: ['In Review'] },
        { name: 'Done', kind: 'done', statuses: ['Done'] },
      ];
      const configWith = (list: unknown[]) => testConfig({ streams: [{ name: 'web', map: { timeZone: 'UTC', stages: list }, sources: [{ vendor: 'github', secretEnv: 'GITHUB_SECRET' }] }] });
      const first = await startTestServer(store, await configWith(stages));
      await first.close();
      expect(first.log.lines.filter((line) => line.includes('changed'))).toEqual([]);

      const changed = [stages[0], { ...stages[1], statuses: ['In Progress', 'In Review'] }, stages[3]];
      const second = await startTestServer(store, await configWith(changed));
      await second.close();
      const warnings = second.log.lines.filter((line) => line.startsWith('warn'));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain('the map of stream web changed (flow-nudge.yaml: streams[0].map)');
      expect(warnings[0]).toContain('~ stage Development (touch: In Progress) → Development (touch: In Progress, In Review)');
      expect(warnings[0]).toContain('- stage Review (wait: In Review)');

      // the same map again: nothing to say
      const third = await startTestServer(store, await configWith(changed));
      await third.close();
      expect(third.log.lines.filter((line) => line.startsWith('warn'))).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
