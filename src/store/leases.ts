/**
 * The lease pattern of the store's work queues (outbox, command_job), written once: a worker
 * claims due rows under a new lease token and an expiry; only the holder of the token may
 * write the row while it holds it (renew, record, finish); the holder may hand it back
 * (released: waiting again, due at once). A holder that died leaves its rows to the next
 * claim once the lease has ended.
 *
 * The claim is one UPDATE of the rows a sub-select picks (on Postgres `FOR UPDATE SKIP LOCKED`:
 * rows being claimed by another worker are passed over); the outer WHERE is checked again on
 * each row, so two workers (also on two replicas) never hold the same row at once.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Selectable, type SelectQueryBuilder, type UpdateQueryBuilder, type UpdateResult } from 'kysely';
import { dialectOf } from './migrations/dialect-of.ts';
import type { Database } from './schema.ts';

export type LeasedTable = 'outbox' | 'command_job';

/** A queue table: its states and the column that holds the lease's end (and a waiting row's due time). */
export interface LeaseQueue<T extends LeasedTable> {
  table: T;
  untilColumn: 'next_attempt_at' | 'lease_until';
  /** a row waiting for a worker (pending) */
  waiting: string;
  /** a row a worker holds (sending, running) */
  held: string;
}

/** A held row: its id and the token of the claim that holds it. */
export interface Lease {
  id: number;
  leaseToken: string;
}

/** The columns every queue table has, as the helper sees them (both tables read as one shape). */
interface LeasedColumns {
  id: number;
  state: string;
  attempts: number;
  lease_token: string | null;
  next_attempt_at: number;
  lease_until: number;
  platform: string;
}
type LeaseView = { queue: LeasedColumns };
const view = (db: Kysely<Database>): Kysely<LeaseView> => db as unknown as Kysely<LeaseView>;
/** the queue's real table name, typed as the one shape both tables share */
const tableOf = (queue: LeaseQueue<LeasedTable>): 'queue' => queue.table as unknown as 'queue';

/** The sub-select of due rows, narrowed by the caller (its platforms). */
export type DueQuery = SelectQueryBuilder<LeaseView, 'queue', { id: number }>;

/**
 * Claims up to `limit` due rows (waiting, or held under a lease that has ended) for `leaseMs`
 * under a new token, counting an attempt; returns the claimed rows as stored.
 * @example const rows = await claimLeases(db, OUTBOX_QUEUE, { now, leaseMs: 60_000, limit: 4, orderBy: ['next_attempt_at', 'id'], where: (q) => q.where('platform', 'in', ['slack']) });
 */
export async function claimLeases<T extends LeasedTable>(
  db: Kysely<Database>,
  queue: LeaseQueue<T>,
  options: { now: number; leaseMs: number; limit: number; orderBy: readonly ('id' | LeaseQueue<T>['untilColumn'])[]; where: (due: DueQuery) => DueQuery },
): Promise<Selectable<Database[T]>[]> {
  const { now } = options;
  const until = queue.untilColumn;
  let due: DueQuery = view(db)
    .selectFrom(tableOf(queue))
    .select('id')
    .where('state', 'in', [queue.waiting, queue.held])
    .where(until, '<=', now);
  due = options.where(due);
  for (const column of options.orderBy) due = due.orderBy(column);
  due = due.limit(options.limit);
  // Postgres: rows another claim is taking right now are skipped, not waited for and then found
  // taken — a claim comes back short only when fewer rows are due (the worker reads a short claim
  // as "nothing more due"; without this, two workers racing stopped with rows still waiting)
  const postgres = dialectOf(db) === 'postgres';
  if (postgres) due = due.forUpdate().skipLocked();
  const rows = await view(db)
    .updateTable(tableOf(queue))
    .set({ state: queue.held, attempts: sql`attempts + 1`, [until]: now + options.leaseMs, lease_token: randomUUID() })
    // `= ANY(ARRAY(…))` makes Postgres run the locking sub-select once; as `IN (…)` it may run it
    // again per row and claim more than the limit (seen: a worker of concurrency 1 took two rows)
    .where((eb) => (postgres ? sql<boolean>`${eb.ref('id')} = ANY(ARRAY(${due}))` : eb('id', 'in', due)))
    .where('state', 'in', [queue.waiting, queue.held])
    .where(until, '<=', now)
    .returningAll()
    .execute();
  return rows as unknown as Selectable<Database[T]>[];
}

/** Only the holder's writes count: every update of a held row goes through this filter. */
export function heldRow<T extends LeasedTable>(db: Kysely<Database>, queue: LeaseQueue<T>, lease: Lease): UpdateQueryBuilder<Database, T, T, UpdateResult> {
  const query = view(db).updateTable(tableOf(queue)).where('id', '=', lease.id).where('lease_token', '=', lease.leaseToken).where('state', '=', queue.held);
  return query as unknown as UpdateQueryBuilder<Database, T, T, UpdateResult>;
}

/** Whether a write of a held row found it (false: the lease is no longer ours). */
export const changed = (result: { numUpdatedRows: bigint }): boolean => Number(result.numUpdatedRows) === 1;

/**
 * Hands held rows back (waiting, due at `dueAt`, no token; the attempt the claim counted is
 * given back too): another worker takes them at once. Rows no longer ours are left alone.
 * Returns how many were handed back.
 */
export async function releaseLeases<T extends LeasedTable>(db: Kysely<Database>, queue: LeaseQueue<T>, leases: readonly Lease[], dueAt: number): Promise<number> {
  let released = 0;
  for (const lease of leases) {
    const result = await view(db)
      .updateTable(tableOf(queue))
      .set({ state: queue.waiting, [queue.untilColumn]: dueAt, lease_token: null, attempts: sql`case when attempts > 0 then attempts - 1 else 0 end` })
      .where('id', '=', lease.id)
      .where('lease_token', '=', lease.leaseToken)
      .where('state', '=', queue.held)
      .executeTakeFirst();
    if (changed(result)) released += 1;
  }
  return released;
}
