/**
 * Delivers outbox rows through the registered deliverers: claim due rows (a lease, so two
 * workers never hold one row), send, then record sent / retry with backoff / failed. Nothing
 * is dropped: a row leaves the outbox only as `sent` or `failed` (kept with its reason).
 *
 * At-least-once edge: a crash between the platform's "ok" and markOutboxSent leaves the row
 * `sending`; when its lease ends it is sent again (same dedup key, see Deliverer).
 */
import type { Store } from '../store/database.ts';
import { claimDueOutbox, markOutboxFailed, markOutboxRetry, markOutboxSent, nextOutboxDue } from '../store/outbox.ts';
import { readOutcome, validateDeliverer, type Deliverer } from './deliverer.ts';
import { parseNudge } from './nudge-payload.ts';
import { nudgeTargetSchema } from './nudge-target.ts';

export interface OutboxWorkerOptions {
  store: Store;
  now?: () => number;
  log?: { warn(message: string): void; info?(message: string): void };
  /** how long a claimed row is ours before another worker may take it (default 60 s) */
  leaseMs?: number;
  /** rows per claim (default 20) */
  batch?: number;
  /** attempts before a row that keeps failing is marked failed (default 20, about a day of backoff) */
  maxAttempts?: number;
  /** first backoff after a 5xx / network error, doubled each attempt up to maxBackoffMs (default 5 s, 1 h) */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** how often the loop looks for rows when nothing wakes it (default 5 s) */
  pollMs?: number;
}

export interface OutboxRowResult {
  id: number;
  dedupKey: string;
  status: 'sent' | 'retry' | 'failed';
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
  /** Stops the loop and waits for the batch in flight. */
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
  const maxAttempts = options.maxAttempts ?? 20;
  const baseBackoff = options.baseBackoffMs ?? 5_000;
  const maxBackoff = options.maxBackoffMs ?? 3_600_000;
  const pollMs = options.pollMs ?? 5_000;
  const deliverers = new Map<string, Deliverer>();
  const db = options.store.db;

  let running = false;
  let timer: NodeJS.Timeout | null = null;
  let inFlight: Promise<unknown> = Promise.resolve();

  const backoff = (attempt: number, retryAfterMs: number): number =>
    retryAfterMs > 0 ? retryAfterMs : Math.min(maxBackoff, baseBackoff * 2 ** Math.max(0, attempt - 1));

  async function deliverOne(row: Awaited<ReturnType<typeof claimDueOutbox>>[number]): Promise<OutboxRowResult> {
    const base = { id: row.id, dedupKey: row.dedupKey };
    const deliverer = deliverers.get(row.platform)!;
    let target, message;
    try {
      target = nudgeTargetSchema.parse(JSON.parse(row.target));
      message = parseNudge(row.payloadJson);
    } catch (error) {
      const detail = `unreadable outbox row: ${(error as Error).message}`;
      await markOutboxFailed(db, row.id, detail);
      return { ...base, status: 'failed', detail };
    }
    let outcome: ReturnType<typeof readOutcome>;
    let thrown: string | null = null;
    try {
      outcome = readOutcome(await deliverer.send(target, message, { dedupKey: row.dedupKey, kind: row.kind, attempt: row.attempts }));
    } catch (error) {
      thrown = `${row.platform} deliverer threw: ${error instanceof Error ? error.message : String(error)}`;
      outcome = { retryAfterMs: 0 };
    }
    if (outcome === 'sent') {
      await markOutboxSent(db, row.id, now());
      return { ...base, status: 'sent' };
    }
    if ('failed' in outcome) {
      await markOutboxFailed(db, row.id, outcome.failed);
      return { ...base, status: 'failed', detail: outcome.failed };
    }
    const retryAfterMs = 'retryAfterMs' in outcome ? outcome.retryAfterMs : 0;
    const detail = thrown ?? ('invalid' in outcome ? outcome.invalid : `${row.platform} asked to retry after ${retryAfterMs} ms`);
    if (row.attempts >= maxAttempts) {
      const reason = `gave up after ${row.attempts} attempts; last: ${detail}. Fix the cause, then set the row's state back to 'pending' to send it.`;
      await markOutboxFailed(db, row.id, reason);
      options.log?.warn(`flow-nudge outbox: ${row.kind} ${row.dedupKey} ${reason}`);
      return { ...base, status: 'failed', detail: reason };
    }
    await markOutboxRetry(db, row.id, now() + backoff(row.attempts, retryAfterMs), detail);
    return { ...base, status: 'retry', detail };
  }

  async function runOnce(): Promise<OutboxRowResult[]> {
    const results: OutboxRowResult[] = [];
    for (;;) {
      const rows = await claimDueOutbox(db, { now: now(), limit: batch, leaseMs, platforms: [...deliverers.keys()] });
      if (rows.length === 0) return results;
      for (const row of rows) results.push(await deliverOne(row));
      if (rows.length < batch) return results;
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
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      timer = null;
      await inFlight;
    },
  };
}
