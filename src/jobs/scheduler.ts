/**
 * The schedule: node-cron ticks every minute and runs the due jobs (src/jobs/run-due-jobs.ts).
 * All the logic is in the runner; this file only owns the timer.
 */
import { hostname } from 'node:os';
import cron, { type ScheduledTask } from 'node-cron';
import type { JobContext, JobRunResult } from './job-types.ts';
import { createJobRunner } from './run-due-jobs.ts';

export interface SchedulerOptions extends Omit<JobContext, 'replicaId'> {
  replicaId?: string;
  /** default every minute */
  cronExpression?: string;
  now?: () => number;
  /** called with each tick's results (logging, tests) */
  onTick?: (results: JobRunResult[]) => void;
}

export interface Scheduler {
  replicaId: string;
  /** runs one tick now (also what the cron calls) */
  tick(): Promise<JobRunResult[]>;
  stop(): Promise<void>;
}

/**
 * Starts the schedule. Throws at once on a cron expression node-cron cannot parse.
 * @example const scheduler = startScheduler({ store, charts: createNudgeCharts(renderer), log, onEnqueued: () => worker.wake() });
 */
export function startScheduler(options: SchedulerOptions): Scheduler {
  const expression = options.cronExpression ?? '* * * * *';
  if (!cron.validate(expression)) {
    throw new Error(`Schedule "${expression}" is not a cron expression: use five fields, e.g. "* * * * *" for every minute.`);
  }
  const replicaId = options.replicaId ?? `${hostname()}:${process.pid}`;
  const now = options.now ?? (() => Date.now());
  const runner = createJobRunner({ ...options, replicaId });
  const tick = async (): Promise<JobRunResult[]> => {
    const results = await runner.runDueJobs(now());
    for (const r of results) if (r.status === 'failed') options.log?.warn(`flow-nudge jobs: ${r.job} ${r.periodKey} failed: ${r.detail}`);
    options.onTick?.(results);
    return results;
  };
  const task: ScheduledTask = cron.schedule(
    expression,
    async () => {
      try {
        await tick();
      } catch (error) {
        options.log?.warn(`flow-nudge jobs: the tick failed (${(error as Error).message}); the next tick tries again.`);
      }
    },
    { name: 'flow-nudge-jobs', noOverlap: true },
  );
  return {
    replicaId,
    tick,
    async stop() {
      await task.stop();
      await task.destroy();
    },
  };
}
