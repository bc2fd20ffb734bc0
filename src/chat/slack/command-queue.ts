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
}): CommandQueue {
  const concurrency = options.concurrency ?? 2;
  const waiting: (() => Promise<void>)[] = [];
  let running = 0;
  let scheduled = false;

  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(pump);
  };

  function pump(): void {
    scheduled = false;
    if (waiting.length === 0 || running >= concurrency) return;
    if (options.isBusy()) {
      // let the pending acknowledgements go out first
      setTimeout(schedule, 2);
      return;
    }
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
      schedule();
    },
    get size() {
      return waiting.length + running;
    },
  };
}
