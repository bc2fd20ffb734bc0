/**
 * Runs the work behind slash commands after they are acknowledged, giving acknowledgements
 * priority: a job starts only when no Slack request is waiting for its answer, so a burst of
 * commands is acknowledged first and computed afterwards. Jobs run one or two at a time (the
 * computing is CPU-bound; more would only delay each other). Nothing is dropped: a job that
 * throws is logged and the next one runs.
 */
export interface CommandQueue {
  /** queue a job; it starts when the front door is quiet */
  push(job: () => Promise<void>): void;
  /** jobs waiting or running */
  readonly size: number;
}

export function createCommandQueue(options: {
  /** true while a Slack request is being acknowledged */
  isBusy: () => boolean;
  log: { error(message: string): void };
  concurrency?: number;
  /** start work only after the front door has been quiet this long (default 100 ms) */
  quietMs?: number;
  /** but never hold a job back longer than this (default 3,000 ms) */
  maxHoldMs?: number;
}): CommandQueue {
  const concurrency = options.concurrency ?? 2;
  const quietMs = options.quietMs ?? 100;
  const maxHoldMs = options.maxHoldMs ?? 3000;
  let lastBusy = 0;
  const waitingSince: number[] = [];
  const waiting: (() => Promise<void>)[] = [];
  let running = 0;
  const monitor = setInterval(() => {
    if (options.isBusy()) lastBusy = performance.now();
  }, 1);
  monitor.unref();
  let scheduled = false;

  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(pump);
  };

  function pump(): void {
    scheduled = false;
    if (waiting.length === 0 || running >= concurrency) return;
    const now = performance.now();
    if (options.isBusy()) lastBusy = now;
    const held = now - waitingSince[0]!;
    if (now - lastBusy < quietMs && held < maxHoldMs) {
      // let the acknowledgements of a burst go out first
      setTimeout(schedule, 2);
      return;
    }
    waitingSince.shift();
    const job = waiting.shift()!;
    running += 1;
    job()
      .catch((error: Error) => options.log.error(`slash command work failed: ${error.stack ?? error.message}`))
      .finally(() => {
        running -= 1;
        schedule();
      });
    schedule();
  }

  return {
    push(job) {
      waiting.push(job);
      waitingSince.push(performance.now());
      lastBusy = performance.now();
      schedule();
    },
    get size() {
      return waiting.length + running;
    },
  };
}
