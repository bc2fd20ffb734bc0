/**
 * Everything the bot needs to speak first, wired in one call at start-up (`flow-nudge start`):
 * the outbox worker with each platform's deliverer, the every-minute schedule, and the hook the
 * webhook path calls after transitions are stored.
 *
 * @example
 * const nudges = startNudgeSystem({ store, log, deliverers: [slackDeliverer, teamsDeliverer] });
 * const server = await startServer({ ..., onTransitions: nudges.hooks.onTransitions });
 * // on shutdown
 * await nudges.stop();
 */
import type { Store } from '../store/database.ts';
import type { Deliverer } from '../nudges/deliverer.ts';
import { createNudgeCharts, type NudgeCharts } from '../nudges/nudge-charts.ts';
import type { NudgeContext } from '../nudges/nudge-context.ts';
import { createNudgeHooks, type NudgeHooks } from '../nudges/nudge-hooks.ts';
import { createOutboxWorker, type OutboxWorker } from '../nudges/outbox-worker.ts';
import { startScheduler, type Scheduler } from './scheduler.ts';

export interface NudgeSystemOptions {
  store: Store;
  log: { warn(message: string): void; info?(message: string): void };
  /** one per platform the bot posts to; more can be added later with `worker.register` */
  deliverers?: Deliverer[];
  /** default: PNG charts from src/charts; null for text only */
  charts?: NudgeCharts | null;
  replicaId?: string;
  /** default every minute */
  cronExpression?: string;
}

export interface NudgeSystem {
  worker: OutboxWorker;
  scheduler: Scheduler;
  hooks: NudgeHooks;
  /** the context the parts share (for `/flow checkin now` and the playground) */
  context: NudgeContext;
  stop(): Promise<void>;
}

export function startNudgeSystem(options: NudgeSystemOptions): NudgeSystem {
  const worker = createOutboxWorker({ store: options.store, log: options.log });
  for (const deliverer of options.deliverers ?? []) worker.register(deliverer);
  const context: NudgeContext = {
    store: options.store,
    charts: options.charts === undefined ? createNudgeCharts() : options.charts,
    log: options.log,
    onEnqueued: () => worker.wake(),
  };
  const scheduler = startScheduler({
    ...context,
    ...(options.replicaId && { replicaId: options.replicaId }),
    ...(options.cronExpression && { cronExpression: options.cronExpression }),
  });
  const hooks = createNudgeHooks(context);
  worker.start();
  return {
    worker,
    scheduler,
    hooks,
    context,
    async stop() {
      await scheduler.stop();
      await hooks.flush();
      await worker.stop();
    },
  };
}
