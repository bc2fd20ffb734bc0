/**
 * The outbox repository: every nudge is written here first, then delivered by the outbox
 * worker (src/nudges/outbox-worker.ts). States: `pending` (waiting for its next attempt),
 * `sending` (held by one worker, named by `lease_token`, until `next_attempt_at`, its lease),
 * `sent`, `failed` (the platform refused it for good; kept, with the reason).
 *
 * A delivery is a sequence of platform calls (post the text, upload each chart). Each finished
 * call is recorded in `progress_json` as it finishes (recordOutboxStep), so a retry — after a
 * 429, a 5xx, or a crash — resumes after the last finished call and never repeats one. Every
 * write of a held row checks the lease token: a worker whose lease ran out (another took the
 * row) can no longer record anything, and learns it from the `false` it gets back. What is
 * left is the moment between a platform's "ok" and the step's commit: a crash there repeats
 * that one call.
 */
import type { Kysely } from 'kysely';
import { changed, claimLeases, heldRow, releaseLeases, type Lease, type LeaseQueue } from './leases.ts';
import type { Database } from './schema.ts';

/** The outbox as a lease queue: a held row is `sending` until `next_attempt_at`. */
const OUTBOX_QUEUE: LeaseQueue<'outbox'> = { table: 'outbox', untilColumn: 'next_attempt_at', waiting: 'pending', held: 'sending' };

export type OutboxState = 'pending' | 'sending' | 'sent' | 'failed';

export interface OutboxRow {
  id: number;
  kind: string;
  platform: string;
  /** JSON of the target (channel or direct message) */
  target: string;
  payloadJson: string;
  dedupKey: string;
  state: OutboxState;
  attempts: number;
  nextAttemptAt: number;
  createdAt: number;
  sentAt: number | null;
  error: string | null;
  /** the holder of a `sending` row; null otherwise */
  leaseToken: string | null;
  /** the finished steps of the delivery: step name → what the platform answered (a ts, an id) */
  progress: DeliveryProgress;
}

/** Finished steps of one delivery, e.g. { message: '1733212.000100', 'chart:0': 'F0123' }. */
export type DeliveryProgress = Readonly<Record<string, string>>;

/** A held row: its id and the token of the claim that holds it. */
export type OutboxLease = Lease;

// biome-ignore lint/suspicious/noExplicitAny: a raw row: Postgres returns bigint columns as strings, read each with Number()
type Row = Database['outbox'] extends infer T ? { [K in keyof T]: any } : never;

function toOutboxRow(row: Row): OutboxRow {
  return {
    id: Number(row.id),
    kind: row.kind,
    platform: row.platform,
    target: row.target,
    payloadJson: row.payload_json,
    dedupKey: row.dedup_key,
    state: row.state as OutboxState,
    attempts: Number(row.attempts),
    nextAttemptAt: Number(row.next_attempt_at),
    createdAt: Number(row.created_at),
    sentAt: row.sent_at === null ? null : Number(row.sent_at),
    error: row.error,
    leaseToken: row.lease_token ?? null,
    progress: readProgress(row.progress_json),
  };
}

function readProgress(json: string | null | undefined): DeliveryProgress {
  if (!json) return {};
  try {
    const value = JSON.parse(json) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as DeliveryProgress) : {};
  } catch {
    return {};
  }
}

export interface OutboxInput {
  kind: string;
  platform: string;
  target: string;
  payloadJson: string;
  dedupKey: string;
}

/**
 * Writes a nudge to the outbox, due now. A dedup key seen before adds nothing (never doubled).
 * Returns the row id and whether this call created it.
 */
export async function enqueueOutbox(db: Kysely<Database>, input: OutboxInput, now: number): Promise<{ id: number; created: boolean }> {
  const inserted = await db
    .insertInto('outbox')
    .values({
      kind: input.kind,
      platform: input.platform,
      target: input.target,
      payload_json: input.payloadJson,
      dedup_key: input.dedupKey,
      state: 'pending',
      attempts: 0,
      next_attempt_at: now,
      created_at: now,
      sent_at: null,
      error: null,
    })
    .onConflict((oc) => oc.column('dedup_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { id: Number(inserted.id), created: true };
  const row = await db.selectFrom('outbox').select('id').where('dedup_key', '=', input.dedupKey).executeTakeFirstOrThrow();
  return { id: Number(row.id), created: false };
}

/**
 * Claims up to `limit` due rows of the given platforms (pending, or sending with an expired
 * lease) for `leaseMs` under a new lease token, counting an attempt. The outer WHERE is checked
 * again on each row, so two workers (also on two replicas) never hold the same row at once.
 */
export async function claimDueOutbox(
  db: Kysely<Database>,
  options: { now: number; limit: number; leaseMs: number; platforms: readonly string[] },
): Promise<OutboxRow[]> {
  if (options.platforms.length === 0 || options.limit <= 0) return [];
  const rows = await claimLeases(db, OUTBOX_QUEUE, {
    now: options.now,
    leaseMs: options.leaseMs,
    limit: options.limit,
    orderBy: ['next_attempt_at', 'id'],
    where: (due) => due.where('platform', 'in', [...options.platforms]),
  });
  return rows.map((row) => toOutboxRow(row as Row)).sort((a, b) => a.id - b.id);
}

/** Only the holder's writes count: every update of a held row goes through this filter. */
const held = (db: Kysely<Database>, lease: OutboxLease) => heldRow(db, OUTBOX_QUEUE, lease);

/**
 * Records the finished steps of a held row (the whole progress, with the new step in it) and
 * extends its lease to `leaseUntil`. The attempt count starts again: progress was made.
 * Returns false when the lease is no longer ours (nothing was written).
 */
export async function recordOutboxStep(db: Kysely<Database>, lease: OutboxLease, progress: DeliveryProgress, leaseUntil: number): Promise<boolean> {
  return changed(await held(db, lease).set({ progress_json: JSON.stringify(progress), next_attempt_at: leaseUntil, attempts: 1 }).executeTakeFirst());
}

/** Extends a held row's lease (a send that takes long); false when it is no longer ours. */
export async function renewOutboxLease(db: Kysely<Database>, lease: OutboxLease, leaseUntil: number): Promise<boolean> {
  return changed(await held(db, lease).set({ next_attempt_at: leaseUntil }).executeTakeFirst());
}

/** The platform took every step. False when the lease is no longer ours. */
export async function markOutboxSent(db: Kysely<Database>, lease: OutboxLease, now: number): Promise<boolean> {
  return changed(await held(db, lease).set({ state: 'sent', sent_at: now, error: null, lease_token: null }).executeTakeFirst());
}

/** Hands the row back, due at `nextAttemptAt` (a 429's Retry-After, a 5xx's backoff); its progress stays. */
export async function markOutboxRetry(db: Kysely<Database>, lease: OutboxLease, nextAttemptAt: number, error: string): Promise<boolean> {
  return changed(await held(db, lease).set({ state: 'pending', next_attempt_at: nextAttemptAt, error, lease_token: null }).executeTakeFirst());
}

/** The platform refused it for good (channel gone, bot removed); kept with the reason. */
export async function markOutboxFailed(db: Kysely<Database>, lease: OutboxLease, error: string): Promise<boolean> {
  return changed(await held(db, lease).set({ state: 'failed', error, lease_token: null }).executeTakeFirst());
}

/**
 * Hands held rows back at shutdown: pending and due at `now` (their progress kept, the attempt
 * not counted), so another replica resumes them at once instead of after the lease. Only rows
 * still held under these tokens are touched; returns how many went back.
 */
export async function releaseOutboxLeases(db: Kysely<Database>, leases: readonly OutboxLease[], now: number): Promise<number> {
  return releaseLeases(db, OUTBOX_QUEUE, leases, now);
}

/** Rows of the outbox, oldest first, optionally of one state, kind or platform. */
export async function listOutbox(
  db: Kysely<Database>,
  filter: { state?: OutboxState; kind?: string; platform?: string } = {},
): Promise<OutboxRow[]> {
  let query = db.selectFrom('outbox').selectAll().orderBy('id');
  if (filter.state) query = query.where('state', '=', filter.state);
  if (filter.kind) query = query.where('kind', '=', filter.kind);
  if (filter.platform) query = query.where('platform', '=', filter.platform);
  return (await query.execute()).map(toOutboxRow);
}

/** How many rows are in each state. */
export async function countOutboxByState(db: Kysely<Database>): Promise<Record<OutboxState, number>> {
  const rows = await db.selectFrom('outbox').select(['state', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('state').execute();
  const counts: Record<OutboxState, number> = { pending: 0, sending: 0, sent: 0, failed: 0 };
  for (const row of rows) counts[row.state as OutboxState] = Number(row.n);
  return counts;
}

/** The earliest time a row of these platforms is due (null when none waits): the worker sleeps until then. */
export async function nextOutboxDue(db: Kysely<Database>, platforms: readonly string[]): Promise<number | null> {
  if (platforms.length === 0) return null;
  const row = await db
    .selectFrom('outbox')
    .select((eb) => eb.fn.min<number>('next_attempt_at').as('due'))
    .where('state', 'in', ['pending', 'sending'])
    .where('platform', 'in', [...platforms])
    .executeTakeFirst();
  return row?.due === null || row?.due === undefined ? null : Number(row.due);
}
