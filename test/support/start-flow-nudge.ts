/**
 * `flow-nudge start` from the sources in its own process (test/support/flow-nudge-cli.ts), with
 * its log collected; `ready` resolves with the port once the bot says "ready on port N".
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');

export interface FlowNudgeProcess {
  child: ChildProcess;
  /** stdout and stderr so far */
  log(): string;
  /** resolves with the exit code (null when killed by a signal) */
  exited: Promise<number | null>;
  /** the port, once the bot is ready; rejects if it exits first or takes over `timeoutMs` */
  ready(timeoutMs?: number): Promise<number>;
  /** SIGKILL if still running (for cleanups) */
  kill(): void;
}

export function startFlowNudge(options: { cwd: string; env: Record<string, string> }): FlowNudgeProcess {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'run-ts.js'), join(ROOT, 'test', 'support', 'flow-nudge-cli.ts'), 'start'], {
    cwd: options.cwd,
    env: { ...process.env, LOG_LEVEL: 'info', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout!.on('data', (c: Buffer) => (log += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (log += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    log: () => log,
    exited,
    async ready(timeoutMs = 60_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const m = /ready on port (\d+)/.exec(log);
        if (m) return Number(m[1]);
        if (child.exitCode !== null || Date.now() > until) throw new Error(`flow-nudge start did not get ready (exit ${child.exitCode}):\n${log}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
