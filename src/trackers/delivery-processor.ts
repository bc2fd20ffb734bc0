/**
 * The loop that empties the inbox: processes pending deliveries oldest
 * first, retries those that failed for a passing reason with back-off
 * (2^attempts s, up to maxAttempts), marks those whose content can never be
 * applied failed for good at once (with the reason; `flow-nudge deliveries
 * --failed` lists them, `--retry` puts them back), and at start picks up
 * whatever a crash left pending. A delivery that needs a lookup at the
 * tracker (a GitHub Projects v2 Status) is taken out of its batch and handled
 * on its own: the lookup outside any transaction, within lookupTimeoutMs
 * (past it: failed, retried with back-off), while the deliveries after it go on.
 */
import type { Store } from '../store/database.ts';
import { getDeliveryAttempts, listDeliveriesToProcess, markDelivery } from '../store/webhook-deliveries.ts';
import { isPassingFailure } from './delivery-failure.ts';
import type { Logger } from '../log/logger.ts';
import { isStoreUnavailable } from '../store/unavailable.ts';
import { processDelivery, processDeliveryBatch, resolveDeliveryLookups, type DeliveryOutcome, type ProcessOptions, type IngestStream, type ResolveLookups, type UnmappedStatus } from './process-delivery.ts';

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
  /** a delivery's lookups get this long before it counts as failed (retried with back-off); default 10 s */
  lookupTimeoutMs?: number;
}

/** Deliveries per transaction. */
const BATCH = 50;
/** Deliveries waiting for a lookup at once; more stay pending until one ends. */
const MAX_LOOKUPS = 4;
const DEFAULT_LOOKUP_TIMEOUT_MS = 10_000;

/** A delivery's lookups did not answer in time: passing, retried with back-off. */
export class LookupTimeoutError extends Error {
  override name = 'LookupTimeoutError';
}
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
  // batches never wait for a tracker: a delivery needing a lookup comes out 'deferred' (lookUp below)
  const processOptions: ProcessOptions = options.resolveLookups ? { resolveLookups: options.resolveLookups, deferLookups: true } : {};
  const lookupTimeoutMs = options.lookupTimeoutMs ?? DEFAULT_LOOKUP_TIMEOUT_MS;
  /** deliveries whose lookups are under way, each on its own: the batches leave them out */
  const lookups = new Map<number, Promise<void>>();
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
      const listed = await listDeliveriesToProcess(options.store.db, { now: now(), limit: BATCH * parallelism + lookups.size });
      const ids = listed.filter((id) => !lookups.has(id)).slice(0, BATCH * parallelism);
      if (ids.length === 0) return 0;
      // Postgres: a few batches at once, each in its own transaction on its own connection (SQLite has one connection).
      const chunks: number[][] = [];
      for (let i = 0; i < ids.length; i += BATCH) chunks.push(ids.slice(i, i + BATCH));
      const deferred = (await Promise.all(chunks.map((chunk) => processChunk(chunk)))).reduce((sum, n) => sum + n, 0);
      // only deferred ones (waiting for a lookup slot): nothing to do until a lookup ends and wakes the loop
      return ids.length - deferred;
    } finally {
      lastBatchEnd = performance.now();
    }
  }

  /** Processes the chunk; returns how many of it were deferred for a lookup. */
  async function processChunk(ids: number[]): Promise<number> {
    let outcomes: (DeliveryOutcome | null)[] | null = null;
    try {
      outcomes = await processDeliveryBatch(options.store, options.streams, ids, now(), processOptions);
    } catch {
      // one of them failed (or a concurrent batch deadlocked with this one): nothing of the batch was kept; go one by one
    }
    let deferred = 0;
    if (outcomes) {
      for (const [i, outcome] of outcomes.entries()) if (!(await report(ids[i], outcome))) deferred += 1;
      return deferred;
    }
    for (const id of ids) {
      if (stopped) break;
      if (!(await processOne(id))) deferred += 1;
    }
    return deferred;
  }

  /** Tells what came of a delivery; false when it was deferred for a lookup (now under way, or waiting for a slot). */
  async function report(id: number, outcome: DeliveryOutcome | null): Promise<boolean> {
    if (!outcome) return true;
    if (outcome.state === 'deferred') {
      lookUp(id);
      return false;
    }
    if (outcome.state === 'failed') {
      options.log.warn(`delivery ${id} failed for good: ${outcome.reason}; fix it at the tracker, or retry it with flow-nudge deliveries --retry ${id}`);
      return true;
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
    return true;
  }

  /** One delivery on its own; false when it was deferred for a lookup. */
  async function processOne(id: number): Promise<boolean> {
    try {
      return await report(id, await processConflictRetried(id, processOptions));
    } catch (error) {
      // The database went away (a restart): the delivery is not at fault and stays pending; the loop tries again.
      if (isStoreUnavailable(error)) throw error;
      await markFailed(id, error);
      return true;
    }
  }

  /**
   * A delivery that needs a lookup at the tracker, on its own (at most MAX_LOOKUPS at once):
   * the lookup runs outside any transaction and gets lookupTimeoutMs, then the delivery is
   * processed in its own transaction with the answer. Meanwhile the loop goes on without it.
   */
  function lookUp(id: number): void {
    if (lookups.has(id) || lookups.size >= MAX_LOOKUPS || stopped || !options.resolveLookups) return;
    const resolveLookups = options.resolveLookups;
    const task = (async () => {
      let timer: NodeJS.Timeout | undefined;
      try {
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new LookupTimeoutError(`the tracker did not answer the delivery's lookup within ${lookupTimeoutMs} ms`)), lookupTimeoutMs);
        });
        const resolved = await Promise.race([resolveDeliveryLookups(options.store, options.streams, id, resolveLookups), timeout]);
        clearTimeout(timer);
        if (resolved === null || stopped) return; // done meanwhile, or another replica holds it
        await report(id, await processConflictRetried(id, { resolveLookups, resolved }));
      } catch (error) {
        clearTimeout(timer);
        if (isStoreUnavailable(error)) return; // stays pending; the loop tries again
        await markFailed(id, error);
      }
    })().finally(() => {
      lookups.delete(id);
      wakeLoop();
    });
    lookups.set(id, task);
  }

  async function markFailed(id: number, error: unknown): Promise<void> {
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

  /**
   * One delivery in its own transaction. Postgres may abort it for a deadlock or a
   * serialization failure with a concurrent batch touching the same items: nothing was
   * kept and nothing is wrong with the delivery, so it is tried again at once (after a
   * short random pause, so that the two do not collide again) before it counts as failed.
   */
  async function processConflictRetried(id: number, processWith: ProcessOptions): Promise<DeliveryOutcome | null> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await processDelivery(options.store, options.streams, id, now(), processWith);
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
      // (and for the lookups under way)
      if (!failedPass && lookups.size === 0) {
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
    await Promise.all(lookups.values());
    for (const resolve of idleWaiters) resolve();
  })();

  function wakeLoop(): void {
    woken = true;
    sleeper?.();
  }

  return {
    wake: wakeLoop,
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
