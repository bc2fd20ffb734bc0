/**
 * Everything the bot needs to speak first, wired in one place (`flow-nudge start` uses it):
 * the outbox worker with each platform's deliverer, the every-minute schedule, and the hook the
 * webhook path calls after transitions are stored. Created first, so the playground and the
 * platforms can take its context and register their deliverers; started once they have.
 *
 * @example
 * const charts = createChartRenderer();
 * const nudges = createNudgeSystem({ store, log, charts: createNudgeCharts(charts) });
 * const server = await startServer({ ..., onTransitions: nudges.hooks.onTransitions });
 * nudges.worker.register(slackDeliverer);
 * nudges.start();
 * // on shutdown
 * await nudges.stop();
 * await charts.close();
 */
import { DEFAULT_RETENTION_DAYS } from '../store/retention.ts';
import type { Store } from '../store/database.ts';
import type { Deliverer } from '../nudges/deliverer.ts';
import type { NudgeCharts } from '../nudges/nudge-charts.ts';
import type { NudgeContext } from '../nudges/nudge-context.ts';
import { createNudgeHooks, type NudgeHooks } from '../nudges/nudge-hooks.ts';
import { createOutboxWorker, type OutboxWorker } from '../nudges/outbox-worker.ts';
import { startScheduler, type Scheduler } from './scheduler.ts';

export interface NudgeSystemOptions {
  store: Store;
  log: { warn(message: string): void; info?(message: string): void };
  /** one per platform the bot posts to; more can be registered with `worker.register` before or after `start` */
  deliverers?: Deliverer[];
  /** the nudges' charts, drawn by the program's renderer (createNudgeCharts(renderer)); null for text only */
  charts: NudgeCharts | null;
  replicaId?: string;
  /** default every minute */
  cronExpression?: string;
  /** the clock of the schedule, the hooks and the outbox (default Date.now) */
  now?: () => number;
  /** days the retention job keeps what it may forget (start-bot passes FLOW_NUDGE_RETENTION_DAYS; default 30) */
  retentionDays?: number;
}

export interface NudgeSystem {
  worker: OutboxWorker;
  hooks: NudgeHooks;
  /** the context the parts share (for `/flow checkin now` and the playground) */
  context: NudgeContext;
  /** starts the outbox worker and the schedule */
  start(): void;
  /** stops the schedule and finishes pending signal checks (what they write waits in the outbox); stops the outbox worker, handing back its rows */
  stop(): Promise<void>;
}

export function createNudgeSystem(options: NudgeSystemOptions): NudgeSystem {
  const now = options.now ?? (() => Date.now());
  const retentionDays = options.retentionDays ?? DEFAULT_RETENTION_DAYS;
  const worker = createOutboxWorker({ store: options.store, now, log: options.log });
  for (const deliverer of options.deliverers ?? []) worker.register(deliverer);
  const context: NudgeContext = {
    store: options.store,
    charts: options.charts,
    log: options.log,
    onEnqueued: () => worker.wake(),
  };
  const hooks = createNudgeHooks(context, now, options.replicaId ? { replicaId: options.replicaId } : {});
  let scheduler: Scheduler | null = null;
  return {
    worker,
    hooks,
    context,
    start() {
      if (scheduler) return;
      worker.start();
      scheduler = startScheduler({
        ...context,
        now,
        retentionDays,
        ...(options.replicaId && { replicaId: options.replicaId }),
        ...(options.cronExpression && { cronExpression: options.cronExpression }),
      });
    },
    async stop() {
      await scheduler?.stop();
      await hooks.flush();
      await worker.stop();
    },
  };
}
