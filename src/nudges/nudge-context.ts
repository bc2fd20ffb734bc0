/**
 * What every nudge needs, passed in once at start-up (src/http / src/cli wire it): the store,
 * how to draw charts, where to log, and how to wake the outbox worker. The clock is a
 * parameter of each call (`now`), so tests drive nudges with a fake clock.
 */
import type { Store } from '../store/database.ts';
import type { NudgeCharts } from './nudge-charts.ts';

export interface NudgeContext {
  store: Store;
  /** null: post text only (tests that do not look at images, the simulation) */
  charts: NudgeCharts | null;
  log?: { warn(message: string): void; info?(message: string): void };
  /** called after a nudge is written to the outbox (e.g. `worker.wake`) */
  onEnqueued?: () => void;
  /** the signal alert's quiet period per series, phase and side, in days (default SIGNAL_QUIET_DAYS, 7) */
  signalQuietDays?: number;
}
