/**
 * Delivers outbox rows through the registered deliverers: claim due rows (a lease with a token,
 * so two workers never hold one row), send, then record sent / retry / failed — each write
 * checked against the token. Nothing is dropped: a row leaves the outbox only as `sent` or
 * `failed` (kept with its reason).
 *
 * Each row runs under its own lease, renewed while its send lasts, a few rows at a time. Each
 * finished platform call is recorded on the row (runStep in deliverer.ts), so a 429 or a
 * crash resumes the delivery after its last finished call. A 429 hands the row back due at the
 * platform's Retry-After: nothing sleeps in-process.
 *
 * stop() (SIGTERM) claims nothing more and starts no further platform call; the calls in flight
 * get up to `stopGraceMs` to finish and be recorded. Then every row this worker still holds
 * is handed back under its own token (pending, due now, its finished steps kept), so another
 * replica resumes it at once instead of after the lease.
 */
import type { Store } from '../store/database.ts';
import {
  claimDueOutbox,
  markOutboxFailed,
  markOutboxRetry,
  markOutboxSent,
  nextOutboxDue,
  recordOutboxStep,
  releaseOutboxLeases,
  renewOutboxLease,
  type OutboxLease,
  type OutboxRow,
} from '../store/outbox.ts';
import { DeliveryPausedError, LeaseLostError, readOutcome, validateDeliverer, type Deliverer, type DeliveryMeta } from './deliverer.ts';
import { parseNudge } from './nudge-payload.ts';
import { nudgeTargetSchema } from './nudge-target.ts';

export interface OutboxWorkerOptions {
  store: Store;
  now?: () => number;
  log?: { warn(message: string): void; info?(message: string): void };
  /** how long a claimed row is ours before another worker may take it; renewed every third of it while it sends (default 60 s) */
  leaseMs?: number;
  /** rows sent at once (default 4); each is claimed when a slot is free, so no row waits under a lease */
  concurrency?: number;
  /** at most this many rows per claim (default 20) */
  batch?: number;
  /** attempts before a row that keeps failing is marked failed (default 20, about a day of backoff) */
  maxAttempts?: number;
  /** first backoff after a 5xx / network error, doubled each attempt up to maxBackoffMs (default 5 s, 1 h) */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** how often the loop looks for rows when nothing wakes it (default 5 s) */
  pollMs?: number;
  /** on stop, how long the platform calls in flight get to finish before their rows are handed back (default 10 s) */
  stopGraceMs?: number;
}

export interface OutboxRowResult {
  id: number;
  dedupKey: string;
  /** lost: the lease ran out mid-send and another worker holds the row now (nothing was written); released: handed back at stop */
  status: 'sent' | 'retry' | 'failed' | 'lost' | 'released';
  detail?: string;
}

export interface OutboxWorker {
  /** Adds a platform's deliverer; rejects an unknown platform or a second one for the same platform. */
  register(deliverer: Deliverer): void;
  /** Delivers every row due now (repeatedly claiming batches) and says what happened to each. */
  runOnce(): Promise<OutboxRowResult[]>;
  /** Starts the background loop (idempotent). */
  start(): void;
  /** Runs the loop soon (call after enqueueing). */
  wake(): void;
  /**
   * Stops claiming and starting platform calls, waits up to the grace for the calls in flight,
   * then hands back every row still held (idempotent: a second call waits for the first).
   */
  stop(): Promise<void>;
}

/**
 * @example
 * const worker = createOutboxWorker({ store });
 * worker.register(slackDeliverer); worker.start();
 */
export function createOutboxWorker(options: OutboxWorkerOptions): OutboxWorker {
  const now = options.now ?? (() => Date.now());
  const leaseMs = options.leaseMs ?? 60_000;
  const batch = options.batch ?? 20;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const maxAttempts = options.maxAttempts ?? 20;
  const baseBackoff = options.baseBackoffMs ?? 5_000;
  const maxBackoff = options.maxBackoffMs ?? 3_600_000;
  const pollMs = options.pollMs ?? 5_000;
  const stopGraceMs = options.stopGraceMs ?? 10_000;
  const deliverers = new Map<string, Deliverer>();
  const db = options.store.db;

  let running = false;
  let timer: NodeJS.Timeout | null = null;
  let inFlight: Promise<unknown> = Promise.resolve();
  /** stop() was called: no more claims, no new platform calls */
  let stopping = false;
  let stopped: Promise<void> | null = null;
  /** the rows this worker holds now, by id: what stop() hands back if their sends outlive the grace */
  const holding = new Map<number, OutboxLease>();
  /** every send in flight, of the loop or of a direct runOnce() */
  const sends = new Set<Promise<void>>();

  const backoff = (attempt: number, retryAfterMs: number): number =>
    retryAfterMs > 0 ? retryAfterMs : Math.min(maxBackoff, baseBackoff * 2 ** Math.max(0, attempt - 1));

  async function deliverOne(row: OutboxRow): Promise<OutboxRowResult> {
    const base = { id: row.id, dedupKey: row.dedupKey };
    const lease: OutboxLease = { id: row.id, leaseToken: row.leaseToken! };
    const deliverer = deliverers.get(row.platform)!;
    let lost = false;
    const lostResult = (): OutboxRowResult => {
      options.log?.warn(`flow-nudge outbox: ${row.kind} ${row.dedupKey}: the lease ran out mid-send; another worker holds the row and resumes it.`);
      return { ...base, status: 'lost', detail: 'lease lost' };
    };
    /** a write of ours that found the row no longer ours */
    const written = (ok: boolean): boolean => {
      if (!ok) lost = true;
      return ok;
    };
    let target: ReturnType<typeof nudgeTargetSchema.parse>;
    let message: ReturnType<typeof parseNudge>;
    try {
      target = nudgeTargetSchema.parse(JSON.parse(row.target));
      message = parseNudge(row.payloadJson);
    } catch (error) {
      const detail = `unreadable outbox row: ${(error as Error).message}`;
      return written(await markOutboxFailed(db, lease, detail)) ? { ...base, status: 'failed', detail } : lostResult();
    }
    let progress = { ...row.progress };
    let progressed = false;
    /** a step was refused because the worker is stopping: the row goes back as it is */
    let paused = false;
    const meta: DeliveryMeta = {
      dedupKey: row.dedupKey,
      kind: row.kind,
      attempt: row.attempts,
      async step(name, call) {
        const done = progress[name];
        if (done !== undefined) return done;
        if (lost) throw new LeaseLostError(row.dedupKey);
        if (stopping) {
          paused = true;
          throw new DeliveryPausedError(row.dedupKey);
        }
        const value = await call();
        progress = { ...progress, [name]: value };
        if (!written(await recordOutboxStep(db, lease, progress, now() + leaseMs))) throw new LeaseLostError(row.dedupKey);
        progressed = true;
        return value;
      },
    };
    const renew = setInterval(() => {
      renewOutboxLease(db, lease, now() + leaseMs).then(written, (error: Error) => options.log?.warn(`flow-nudge outbox: renewing the lease of ${row.dedupKey} failed (${error.message}); trying again.`));
    }, Math.max(1, Math.floor(leaseMs / 3)));
    renew.unref?.();
    let outcome: ReturnType<typeof readOutcome>;
    let thrown: string | null = null;
    try {
      outcome = readOutcome(await deliverer.send(target, message, meta));
    } catch (error) {
      thrown = `${row.platform} deliverer threw: ${error instanceof Error ? error.message : String(error)}`;
      outcome = { retryAfterMs: 0 };
    } finally {
      clearInterval(renew);
    }
    if (lost) return lostResult();
    if (paused) {
      // the steps done so far are recorded; another worker resumes after them
      return (await releaseOutboxLeases(db, [lease], now())) === 1 ? { ...base, status: 'released', detail: 'handed back at stop' } : lostResult();
    }
    if (outcome === 'sent') return written(await markOutboxSent(db, lease, now())) ? { ...base, status: 'sent' } : lostResult();
    if ('failed' in outcome) return written(await markOutboxFailed(db, lease, outcome.failed)) ? { ...base, status: 'failed', detail: outcome.failed } : lostResult();
    const retryAfterMs = 'retryAfterMs' in outcome ? outcome.retryAfterMs : 0;
    const detail = thrown ?? ('invalid' in outcome ? outcome.invalid : `${row.platform} asked to retry after ${retryAfterMs} ms`);
    // an attempt that finished a step starts the count again: the delivery is moving
    const attempt = progressed ? 1 : row.attempts;
    if (attempt >= maxAttempts) {
      const reason = `gave up after ${attempt} attempts; last: ${detail}. Fix the cause, then set the row's state back to 'pending' to send it.`;
      if (!written(await markOutboxFailed(db, lease, reason))) return lostResult();
      options.log?.warn(`flow-nudge outbox: ${row.kind} ${row.dedupKey} ${reason}`);
      return { ...base, status: 'failed', detail: reason };
    }
    return written(await markOutboxRetry(db, lease, now() + backoff(attempt, retryAfterMs), detail)) ? { ...base, status: 'retry', detail } : lostResult();
  }

  /** Claims rows while slots are free and sends them, until nothing is due. */
  async function runOnce(): Promise<OutboxRowResult[]> {
    const results: OutboxRowResult[] = [];
    const active = new Set<Promise<void>>();
    let exhausted = false;
    try {
      for (;;) {
        if (!exhausted && !stopping && active.size < concurrency) {
          const limit = Math.min(batch, concurrency - active.size);
          const rows = await claimDueOutbox(db, { now: now(), limit, leaseMs, platforms: [...deliverers.keys()] });
          if (rows.length < limit) exhausted = true;
          for (const row of rows) {
            holding.set(row.id, { id: row.id, leaseToken: row.leaseToken! });
            const sending: Promise<void> = deliverOne(row)
              .then((result) => void results.push(result))
              .catch((error: Error) => {
                // the store failed while recording; the row's lease runs out and it is tried again
                options.log?.warn(`flow-nudge outbox: ${row.kind} ${row.dedupKey}: recording the delivery failed (${error.message}); it is tried again after its lease.`);
                results.push({ id: row.id, dedupKey: row.dedupKey, status: 'retry', detail: error.message });
              })
              .finally(() => {
                active.delete(sending);
                sends.delete(sending);
                holding.delete(row.id);
              });
            active.add(sending);
            sends.add(sending);
          }
          if (!exhausted && !stopping && active.size < concurrency) continue;
        }
        if (active.size === 0) return results;
        await Promise.race(active);
      }
    } finally {
      await Promise.all(active);
    }
  }

  function schedule(delay: number): void {
    if (!running) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      inFlight = loop();
    }, Math.max(0, delay));
    timer.unref?.();
  }

  async function loop(): Promise<void> {
    try {
      await runOnce();
      const due = await nextOutboxDue(db, [...deliverers.keys()]);
      schedule(due === null ? pollMs : Math.min(pollMs, Math.max(0, due - now())));
    } catch (error) {
      options.log?.warn(`flow-nudge outbox: delivery loop failed (${(error as Error).message}); trying again in ${pollMs} ms.`);
      schedule(pollMs);
    }
  }

  return {
    register(deliverer) {
      validateDeliverer(deliverer, deliverers);
      deliverers.set(deliverer.platform, deliverer);
    },
    runOnce,
    start() {
      if (running) return;
      running = true;
      schedule(0);
    },
    wake() {
      if (running && timer) schedule(0);
    },
    stop() {
      stopped ??= (async () => {
        running = false;
        stopping = true;
        if (timer) clearTimeout(timer);
        timer = null;
        let graceTimer: NodeJS.Timeout | undefined;
        const grace = new Promise<void>((resolve) => {
          graceTimer = setTimeout(resolve, stopGraceMs);
        });
        await Promise.race([Promise.all([inFlight, ...sends]), grace]);
        clearTimeout(graceTimer);
        // sends that outlived the grace: their rows go back now (a late answer can no longer be recorded)
        const left = [...holding.values()];
        holding.clear();
        if (left.length === 0) return;
        try {
          const released = await releaseOutboxLeases(db, left, now());
          options.log?.warn(`flow-nudge outbox: stopping; ${released} row(s) whose send outlived ${stopGraceMs} ms handed back to the outbox.`);
        } catch (error) {
          options.log?.warn(`flow-nudge outbox: stopping; could not hand back ${left.length} row(s) (${(error as Error).message}); they are taken again when their lease ends.`);
        }
      })();
      return stopped;
    },
  };
}
