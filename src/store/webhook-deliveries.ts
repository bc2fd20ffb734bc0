/**
 * The webhook inbox: every verified delivery is committed here before the
 * tracker gets its 2xx, then processed into transitions. Unique on
 * (source, delivery_id): a redelivery changes nothing.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { sql, type Kysely, type Transaction } from 'kysely';
import { sqliteHandleOf } from './database.ts';
import { dialectOf } from './migrations/dialect-of.ts';
import type { Database, WebhookDeliveryState } from './schema.ts';

export interface NewDelivery {
  source: string;
  deliveryId: string;
  receivedAt: number;
  headers: Record<string, string>;
  rawBody: string;
}

export interface StoredDelivery {
  id: number;
  source: string;
  deliveryId: string;
  receivedAt: number;
  headers: Record<string, string>;
  rawBody: string;
  state: WebhookDeliveryState;
  attempts: number;
  error: string | null;
  processedAt: number | null;
}

/**
 * Inserts the delivery (autocommit: durable when this resolves). Returns
 * `duplicate: true`, and changes nothing, when (source, deliveryId) is stored already.
 */
export async function insertDelivery(db: Kysely<Database>, delivery: NewDelivery): Promise<{ id: number | null; duplicate: boolean }> {
  // Through Kysely, never the raw SQLite handle: Kysely serializes the one SQLite
  // connection, so this insert can never land inside the processor's open transaction.
  const row = await db
    .insertInto('webhook_delivery')
    .values({
      source: delivery.source,
      delivery_id: delivery.deliveryId,
      received_at: delivery.receivedAt,
      headers_json: JSON.stringify(delivery.headers),
      raw_body: delivery.rawBody,
      state: 'pending',
      attempts: 0,
      error: null,
      processed_at: null,
      retry_at: null,
    })
    .onConflict((oc) => oc.columns(['source', 'delivery_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row ? { id: row.id, duplicate: false } : { id: null, duplicate: true };
}

/**
 * Inserts several deliveries in one statement (one commit: group commit for
 * concurrent requests). Returns, in order, whether each was new; a delivery
 * already stored, or repeated earlier in the same call, is a duplicate.
 */
export async function insertDeliveries(db: Kysely<Database>, deliveries: readonly NewDelivery[]): Promise<{ duplicate: boolean }[]> {
  if (deliveries.length === 0) return [];
  const sqlite = sqliteHandleOf(db);
  if (sqlite) return insertIntoSqlite(db, sqlite, deliveries);
  const seen = new Set<string>();
  const unique: NewDelivery[] = [];
  const firstOfItsId: boolean[] = deliveries.map((d) => {
    const id = `${d.source}\u0000${d.deliveryId}`;
    if (seen.has(id)) return false;
    seen.add(id);
    unique.push(d);
    return true;
  });
  const rows = await db
    .insertInto('webhook_delivery')
    .values(
      unique.map((d) => ({
        source: d.source,
        delivery_id: d.deliveryId,
        received_at: d.receivedAt,
        headers_json: JSON.stringify(d.headers),
        raw_body: d.rawBody,
        state: 'pending' as const,
        attempts: 0,
        error: null,
        processed_at: null,
        retry_at: null,
      })),
    )
    .onConflict((oc) => oc.columns(['source', 'delivery_id']).doNothing())
    .returning(['source', 'delivery_id'])
    .execute();
  const inserted = new Set(rows.map((r) => `${r.source}\u0000${r.delivery_id}`));
  return deliveries.map((d, i) => ({ duplicate: !firstOfItsId[i] || !inserted.has(`${d.source}\u0000${d.deliveryId}`) }));
}

/** The inbox insert, prepared once per SQLite database (compiling it cost more than running it). */
const sqliteInserts = new WeakMap<BetterSqlite3.Database, (deliveries: readonly NewDelivery[]) => { duplicate: boolean }[]>();

/**
 * SQLite: one transaction of the prepared single-row insert, run while holding Kysely's one
 * connection, so it never lands inside a transaction the processor has open through Kysely.
 * A delivery already stored, or repeated earlier in the batch, inserts nothing: a duplicate.
 */
async function insertIntoSqlite(db: Kysely<Database>, sqlite: BetterSqlite3.Database, deliveries: readonly NewDelivery[]): Promise<{ duplicate: boolean }[]> {
  let insert = sqliteInserts.get(sqlite);
  if (!insert) {
    const statement = sqlite.prepare(
      `INSERT INTO webhook_delivery (source, delivery_id, received_at, headers_json, raw_body, state, attempts)
       VALUES (?, ?, ?, ?, ?, 'pending', 0) ON CONFLICT (source, delivery_id) DO NOTHING`,
    );
    insert = sqlite.transaction((batch: readonly NewDelivery[]) =>
      batch.map((d) => ({ duplicate: statement.run(d.source, d.deliveryId, d.receivedAt, JSON.stringify(d.headers), d.rawBody).changes === 0 })),
    );
    sqliteInserts.set(sqlite, insert);
  }
  const run = insert;
  return db.connection().execute(async () => run(deliveries));
}

/**
 * Ids of deliveries to process, oldest first: every `pending` one, and
 * `failed` ones whose retry is due (`retry_at` has passed). A delivery that
 * failed for good (no `retry_at`) or waits for its back-off is not read at all,
 * so however many there are, they never hold back the deliveries after them.
 */
export async function listDeliveriesToProcess(db: Kysely<Database>, options: { now: number; limit: number }): Promise<number[]> {
  const rows = await db
    .selectFrom('webhook_delivery')
    .select('id')
    .where((eb) => eb.or([eb('state', '=', 'pending'), eb.and([eb('state', '=', 'failed'), eb('retry_at', '<=', options.now)])]))
    .orderBy('id')
    .limit(options.limit)
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Inside a transaction: those of `ids` that still need processing, oldest
 * first, locked against other replicas (Postgres `FOR UPDATE SKIP LOCKED`);
 * an id another process has claimed or done is left out.
 */
export async function claimDeliveries(trx: Transaction<Database>, ids: readonly number[]): Promise<StoredDelivery[]> {
  if (ids.length === 0) return [];
  let query = trx
    .selectFrom('webhook_delivery')
    .selectAll()
    .where('id', 'in', [...ids])
    .where('state', 'in', ['pending', 'failed'])
    .orderBy('id');
  if (dialectOf(trx) === 'postgres') query = query.forUpdate().skipLocked();
  const rows = await query.execute();
  return rows.map((row) => ({
    id: row.id,
    source: row.source,
    deliveryId: row.delivery_id,
    receivedAt: Number(row.received_at),
    headers: JSON.parse(row.headers_json) as Record<string, string>,
    rawBody: row.raw_body,
    state: row.state,
    attempts: Number(row.attempts),
    error: row.error,
    processedAt: row.processed_at === null ? null : Number(row.processed_at),
  }));
}

/** Marks several deliveries done in one statement. */
export async function markDeliveriesDone(db: Kysely<Database>, ids: readonly number[], at: number): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('webhook_delivery')
    .set({ state: 'done', error: null, processed_at: at, attempts: sql<number>`attempts + 1` })
    .where('id', 'in', [...ids])
    .execute();
}

/**
 * Records the outcome of one processing attempt. `retryAt` (failed only): when a
 * passing failure is due again; without it a failed delivery failed for good.
 */
export async function markDelivery(
  db: Kysely<Database>,
  id: number,
  outcome: { state: Exclude<WebhookDeliveryState, 'pending'>; error?: string | null; at: number; retryAt?: number | null },
): Promise<void> {
  await db
    .updateTable('webhook_delivery')
    .set({
      state: outcome.state,
      error: outcome.error ?? null,
      processed_at: outcome.at,
      retry_at: outcome.state === 'failed' ? (outcome.retryAt ?? null) : null,
      attempts: sql<number>`attempts + 1`,
    })
    .where('id', '=', id)
    .execute();
}

/** How many times delivery `id` was tried (0 when it is not stored). */
export async function getDeliveryAttempts(db: Kysely<Database>, id: number): Promise<number> {
  const row = await db.selectFrom('webhook_delivery').select('attempts').where('id', '=', id).executeTakeFirst();
  return Number(row?.attempts ?? 0);
}

export interface FailedDelivery {
  id: number;
  source: string;
  deliveryId: string;
  receivedAt: number;
  attempts: number;
  error: string | null;
  failedAt: number | null;
}

/**
 * Deliveries that failed for good, oldest first: their content can never be applied, or they
 * ran out of attempts. They wait for a person (`flow-nudge deliveries --failed`).
 */
export async function listFailedDeliveries(db: Kysely<Database>, options: { limit?: number } = {}): Promise<FailedDelivery[]> {
  const rows = await db
    .selectFrom('webhook_delivery')
    .select(['id', 'source', 'delivery_id', 'received_at', 'attempts', 'error', 'processed_at'])
    .where('state', '=', 'failed')
    .where('retry_at', 'is', null)
    .orderBy('id')
    .limit(options.limit ?? 1000)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    source: r.source,
    deliveryId: r.delivery_id,
    receivedAt: Number(r.received_at),
    attempts: Number(r.attempts),
    error: r.error,
    failedAt: r.processed_at === null ? null : Number(r.processed_at),
  }));
}

/**
 * Puts failed deliveries back to pending (by id; all failed ones when `ids` is 'all-failed')
 * with their attempts reset, for the processor to try again. Returns the ids it changed.
 */
export async function retryDeliveries(db: Kysely<Database>, ids: readonly number[] | 'all-failed'): Promise<number[]> {
  if (ids !== 'all-failed' && ids.length === 0) return [];
  let query = db
    .updateTable('webhook_delivery')
    .set({ state: 'pending', attempts: 0, retry_at: null })
    .where('state', '=', 'failed');
  if (ids !== 'all-failed') query = query.where('id', 'in', [...ids]);
  const rows = await query.returning('id').execute();
  return rows.map((r) => r.id).sort((a, b) => a - b);
}

/**
 * How many deliveries wait for processing (pending) or failed (for a retry, or for good):
 * what /healthz reports. Reads only the state index's unfinished part, so it
 * stays cheap however many deliveries are done.
 */
export async function countUnfinishedDeliveries(db: Kysely<Database>): Promise<{ pending: number; failed: number }> {
  const rows = await db
    .selectFrom('webhook_delivery')
    .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
    .where('state', 'in', ['pending', 'failed'])
    .groupBy('state')
    .execute();
  const counts = { pending: 0, failed: 0 };
  for (const row of rows) if (row.state === 'pending' || row.state === 'failed') counts[row.state] = Number(row.n);
  return counts;
}
