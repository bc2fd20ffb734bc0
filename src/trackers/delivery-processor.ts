/**
 * The loop that empties the inbox: processes pending deliveries oldest
 * first, retries those that failed for a passing reason with back-off
 * (2^attempts s, up to maxAttempts), marks those whose content can never be
 * applied failed for good at once (with the reason; `flow-nudge deliveries
 * --failed` lists them, `--retry` puts them back), and at start picks up
 * whatever a crash left pending.
 */
import type { Store } from '../store/database.ts';
import { getDeliveryAttempts, listDeliveriesToProcess, markDelivery } from '../store/webhook-deliveries.ts';
import { isPassingFailure } from './delivery-failure.ts';
import type { Logger } from '../log/logger.ts';
import { isStoreUnavailable } from '../store/unavailable.ts';
import { processDelivery, processDeliveryBatch, type DeliveryOutcome, type IngestStream, type ResolveLookups, type UnmappedStatus } from './process-delivery.ts';

export interface DeliveryProcessorOptions {
  store: Store;
  streams: readonly IngestStream[];
  log: Pick<Logger, 'info' | 'warn' | 'error'>;
  now?: () => number;
  /** called after transitions of a stream are committed (nudges hook signal checks on it) */
  onTransitions?: (streamName: string, keys: string[]) => void | Promise<void>;
  /** called after a delivery with statuses a stream's map does not name (nudges tell the channel once per status) */
  onUnmappedStatuses?: (streamName: string, statuses: UnmappedStatus[]) => void | Promise<void>;
  maxAttempts?: number;
  /** how often to look for failed deliveries due a retry when nothing wakes the loop; default 1000 ms */
  pollMs?: number;
  /**
   * True while deliveries are arriving: acknowledging them comes first (the
   * vendors' 10 s deadline), so the loop starts a batch (50 deliveries; 4 × 50
   * on Postgres) 250 ms after the last one ended; the backlog drains as soon
   * as the traffic pauses.
   */
  isBusy?: () => boolean;
  /** asks the tracker what a delivery leaves out (GitHub Projects v2 Status), github/project-status.ts */
  resolveLookups?: ResolveLookups;
}

/** Deliveries per transaction. */
const BATCH = 50;
/** Tries of one delivery aborted by a deadlock or serialization failure before it counts as failed. */
const CONFLICT_ATTEMPTS = 5;

/** Postgres aborted the transaction for a conflict with a concurrent one (serialization failure, deadlock). */
function isTransactionConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '40001' || code === '40P01';
}

export interface DeliveryProcessor {
  /** a delivery was stored: look now */
  wake(): void;
  /** resolves once nothing is pending (failed deliveries waiting for back-off do not count) */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export function startDeliveryProcessor(options: DeliveryProcessorOptions): DeliveryProcessor {
  const now = options.now ?? (() => Date.now());
  const processOptions = options.resolveLookups ? { resolveLookups: options.resolveLookups } : {};
  const maxAttempts = options.maxAttempts ?? 5;
  const pollMs = options.pollMs ?? 1000;
  let stopped = false;
  let woken = false;
  let sleeper: (() => void) | null = null;
  let idleWaiters: (() => void)[] = [];

  /** when the last batch ended: while busy, the next starts 250 ms after it */
  let lastBatchEnd = 0;
  const parallelism = options.store.dialect === 'postgres' ? 4 : 1;

  async function runOnce(): Promise<number> {
    while (!stopped && options.isBusy?.() && performance.now() - lastBatchEnd < 250) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    try {
      const ids = await listDeliveriesToProcess(options.store.db, { now: now(), limit: BATCH * parallelism });
      if (ids.length === 0) return 0;
      // Postgres: a few batches at once, each in its own transaction on its own connection (SQLite has one connection).
      const chunks: number[][] = [];
      for (let i = 0; i < ids.length; i += BATCH) chunks.push(ids.slice(i, i + BATCH));
      await Promise.all(chunks.map((chunk) => processChunk(chunk)));
      return ids.length;
    } finally {
      lastBatchEnd = performance.now();
    }
  }

  async function processChunk(ids: number[]): Promise<void> {
    let outcomes: (DeliveryOutcome | null)[] | null = null;
    try {
      outcomes = await processDeliveryBatch(options.store, options.streams, ids, now(), processOptions);
    } catch {
      // one of them failed (or a concurrent batch deadlocked with this one): nothing of the batch was kept; go one by one
    }
    if (outcomes) {
      for (const [i, outcome] of outcomes.entries()) await report(ids[i], outcome);
      return;
    }
    for (const id of ids) {
      if (stopped) break;
      await processOne(id);
    }
  }

  async function report(id: number, outcome: DeliveryOutcome | null): Promise<void> {
    if (!outcome) return;
    if (outcome.state === 'failed') {
      options.log.warn(`delivery ${id} failed for good: ${outcome.reason}; fix it at the tracker, or retry it with flow-nudge deliveries --retry ${id}`);
      return;
    }
    for (const { stream, statuses } of outcome.unknownStatuses) {
      for (const unknown of statuses) {
        options.log.warn(`stream ${stream}: status '${unknown.status}' is not in its value-stream map; the transition is stored; ${unknown.fix}`, { delivery: id });
      }
      try {
        await options.onUnmappedStatuses?.(stream, statuses);
      } catch (error) {
        options.log.error('onUnmappedStatuses failed', { stream, error: String(error) });
      }
    }
    for (const { stream, keys } of outcome.touched) {
      try {
        await options.onTransitions?.(stream, keys);
      } catch (error) {
        options.log.error('onTransitions failed', { stream, error: String(error) });
      }
    }
  }

  async function processOne(id: number): Promise<void> {
    try {
      await report(id, await processConflictRetried(id));
    } catch (error) {
      // The database went away (a restart): the delivery is not at fault and stays pending; the loop tries again.
      if (isStoreUnavailable(error)) throw error;
      const message = error instanceof Error ? error.message : String(error);
      let retryAt: number | null = null;
      try {
        const attempts = await getDeliveryAttempts(options.store.db, id);
        if (isPassingFailure(error) && attempts + 1 < maxAttempts) retryAt = now() + 1000 * 2 ** (attempts + 1);
        await markDelivery(options.store.db, id, { state: 'failed', error: message.slice(0, 2000), at: now(), retryAt });
      } catch (markError) {
        options.log.error('could not mark a delivery failed', { delivery: id, error: String(markError) });
        return;
      }
      if (retryAt !== null) options.log.warn(`delivery ${id} failed; retried in ${Math.round((retryAt - now()) / 1000)} s`, { error: message });
      else options.log.warn(`delivery ${id} failed for good: ${message}; retry it with flow-nudge deliveries --retry ${id}`);
    }
  }

  /**
   * One delivery in its own transaction. Postgres may abort it for a deadlock or a
   * serialization failure with a concurrent batch touching the same items: nothing was
   * kept and nothing is wrong with the delivery, so it is tried again at once (after a
   * short random pause, so that the two do not collide again) before it counts as failed.
   */
  async function processConflictRetried(id: number): Promise<DeliveryOutcome | null> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await processDelivery(options.store, options.streams, id, now(), processOptions);
      } catch (error) {
        if (attempt >= CONFLICT_ATTEMPTS || !isTransactionConflict(error) || stopped) throw error;
        await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt));
      }
    }
  }

  const loop = (async () => {
    while (!stopped) {
      woken = false;
      let processed = 0;
      let failedPass = false;
      try {
        processed = await runOnce();
      } catch (error) {
        if (stopped) break;
        failedPass = true;
        const why = isStoreUnavailable(error) ? 'the database is unavailable; pending deliveries wait' : 'could not read the inbox';
        options.log.error(`webhook processor: ${why}; trying again in ${pollMs} ms`, { error: String(error) });
      }
      if (processed > 0 || (woken && !failedPass)) continue;
      // after a pass that ended in an error, deliveries may still be pending: waiters wait for a clean pass
      if (!failedPass) {
        const waiters = idleWaiters;
        idleWaiters = [];
        for (const resolve of waiters) resolve();
      }
      if (stopped) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        sleeper = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      sleeper = null;
    }
    for (const resolve of idleWaiters) resolve();
  })();

  return {
    wake() {
      woken = true;
      sleeper?.();
    },
    idle() {
      return new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        woken = true;
        sleeper?.();
      });
    },
    async stop() {
      stopped = true;
      sleeper?.();
      await loop;
    },
  };
}
