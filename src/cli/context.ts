import { Presets, SingleBar } from 'cli-progress';
import { createChartRenderer, type ChartRenderer } from '../charts/index.ts';
import { openStore, type Store } from '../store/database.ts';

/** A user error: the message says what is wrong and how to fix it; the CLI exits with code 2. */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 2) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

export interface Progress {
  update(done: number, total?: number): void;
  stop(): void;
}

/** What every CLI command gets: the store, a chart renderer, output channels, progress, and the clock. */
export interface CliContext {
  /** Opens the database named by DATABASE_URL (migrated), runs fn, closes it. */
  withStore<T>(fn: (store: Store) => Promise<T>): Promise<T>;
  /** Makes a chart renderer (its own resvg thread), runs fn, closes it. */
  withChartRenderer<T>(fn: (charts: ChartRenderer) => Promise<T>): Promise<T>;
  /** stdout: results only (JSON with --json). */
  stdout(text: string): void;
  /** stderr: messages for people. */
  stderr(text: string): void;
  /** A progress bar on stderr when stderr is a terminal; silent otherwise. */
  progress(label: string, total: number): Progress;
  now(): number;
  env: NodeJS.ProcessEnv;
}

export function createCliContext(options: {
  env?: NodeJS.ProcessEnv;
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
  isTTY?: boolean;
  now?: () => number;
} = {}): CliContext {
  const env = options.env ?? process.env;
  const isTTY = options.isTTY ?? Boolean(process.stderr.isTTY);
  return {
    env,
    now: options.now ?? (() => Date.now()),
    stdout: options.stdout ?? writeToProcessStdout(),
    stderr: options.stderr ?? ((text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`)),
    async withStore(fn) {
      const store = await openStore(env.DATABASE_URL);
      try {
        return await fn(store);
      } finally {
        await store.close();
      }
    },
    async withChartRenderer(fn) {
      const charts = createChartRenderer();
      try {
        return await fn(charts);
      } finally {
        await charts.close();
      }
    },
    progress(label, total) {
      if (!isTTY) return { update() {}, stop() {} };
      const bar = new SingleBar(
        { format: `${label} [{bar}] {percentage}% | {value}/{total} | {eta_formatted} left`, stream: process.stderr },
        Presets.shades_classic,
      );
      bar.start(total, 0);
      return {
        update(done, newTotal) {
          if (newTotal !== undefined) bar.setTotal(newTotal);
          bar.update(done);
        },
        stop() {
          bar.stop();
        },
      };
    },
  };
}

/**
 * Writes lines to process.stdout. When the reader goes away (`flow-nudge report … | head`), the
 * rest of the output is dropped and the command ends normally with its own exit code, as Unix
 * tools do when their reader has what it wanted; no EPIPE stack trace. Any other write error of
 * stdout (a full disk) ends the process with one line and exit 1.
 */
let stdoutClosed = false;
let stdoutWatched = false;
function writeToProcessStdout(): (text: string) => void {
  if (!stdoutWatched) {
    stdoutWatched = true;
    process.stdout.on('error', (error: NodeJS.ErrnoException) => {
      stdoutClosed = true;
      if (error.code === 'EPIPE') return;
      process.stderr.write(`flow-nudge: could not write the output (${error.code ?? error.message})\n`);
      process.exit(1);
    });
    // the same reader often takes stderr too (2>&1 | head): lines for people are dropped then
    process.stderr.on('error', () => {});
  }
  return (text) => {
    if (stdoutClosed || process.stdout.destroyed) return;
    process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  };
}
