import { Presets, SingleBar } from 'cli-progress';
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

/** What every CLI command gets: the store, output channels, progress, and the clock. */
export interface CliContext {
  /** Opens the database named by DATABASE_URL (migrated), runs fn, closes it. */
  withStore<T>(fn: (store: Store) => Promise<T>): Promise<T>;
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
    stdout: options.stdout ?? ((text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`)),
    stderr: options.stderr ?? ((text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`)),
    async withStore(fn) {
      const store = await openStore(env.DATABASE_URL);
      try {
        return await fn(store);
      } finally {
        await store.close();
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
