import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../../bin/flow-nudge.js', import.meta.url));

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `flow-nudge` command in a child process, as a user would. */
export function runCli(args: string[], options: { input?: string; env?: Record<string, string>; cwd?: string } = {}): CliRun {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    input: options.input ?? '',
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** A fresh SQLite database URL in a temporary directory. */
export function freshDatabaseUrl(): string {
  return `file:${join(mkdtempSync(join(tmpdir(), 'flow-nudge-cli-')), 'cli.db')}`;
}

/**
 * Runs the same `flow-nudge` program in this process (no child start-up cost), with
 * stdout and stderr captured. For stdin and signals, use runCli.
 */
export async function runCliInProcess(args: string[], options: { env?: Record<string, string>; now?: () => number } = {}): Promise<CliRun> {
  const { main } = await import('../../../src/cli/main.ts');
  const { createCliContext } = await import('../../../src/cli/context.ts');
  let stdout = '';
  let stderr = '';
  const ctx = createCliContext({
    env: { ...process.env, ...options.env },
    stdout: (text) => (stdout += text.endsWith('\n') ? text : `${text}\n`),
    stderr: (text) => (stderr += text.endsWith('\n') ? text : `${text}\n`),
    isTTY: false,
    ...(options.now && { now: options.now }),
  });
  const code = await main(args, ctx);
  return { code, stdout, stderr };
}
