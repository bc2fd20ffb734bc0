/**
 * The sent-nudge repository: one row per thing the bot has said (or decided not to repeat),
 * keyed by a dedup key such as `signal:slack:C1:leadtime:run-of-8:below:…`. Recording is an
 * insert that loses quietly on conflict, so two replicas never both think they were first.
 */
import { sql, type Kysely } from 'kysely';
import { dialectOf } from './migrations/dialect-of.ts';
import type { Database } from './schema.ts';

export interface NudgeSent {
  kind: string;
  dedupKey: string;
  sentAt: number;
}

/**
 * Records a nudge under its dedup key. Returns true when this call recorded it, false when
 * the key was there already (someone said it before).
 * @example
 * if (await recordNudgeSent(db, 'aging', 'aging:slack:C1:DEMO-7:85', now)) enqueue(...);
 */
export async function recordNudgeSent(db: Kysely<Database>, kind: string, dedupKey: string, now: number): Promise<boolean> {
  const row = await db
    .insertInto('nudge_sent')
    .values({ kind, dedup_key: dedupKey, sent_at: now })
    .onConflict((oc) => oc.column('dedup_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Whether a dedup key was recorded. */
export async function wasNudgeSent(db: Kysely<Database>, dedupKey: string): Promise<boolean> {
  const row = await db.selectFrom('nudge_sent').select('id').where('dedup_key', '=', dedupKey).executeTakeFirst();
  return row !== undefined;
}

/** The nudge recorded under a key, or null. */
export async function getNudgeSent(db: Kysely<Database>, dedupKey: string): Promise<NudgeSent | null> {
  const row = await db.selectFrom('nudge_sent').selectAll().where('dedup_key', '=', dedupKey).executeTakeFirst();
  return row ? { kind: row.kind, dedupKey: row.dedup_key, sentAt: Number(row.sent_at) } : null;
}

/**
 * Every recorded nudge whose key starts with `prefix` (optionally since a time), oldest first.
 * A range over the key's bytes (prefix ≤ key < the prefix with its last character raised), so
 * the key's index serves it on both dialects; on Postgres in the "C" collation (index of
 * migration 0006), because a language collation does not keep a prefix's keys together.
 */
export async function listNudgesSent(db: Kysely<Database>, prefix: string, options: { since?: number; kind?: string } = {}): Promise<NudgeSent[]> {
  let query = db.selectFrom('nudge_sent').selectAll().where(keyHasPrefix(db, prefix)).orderBy('sent_at').orderBy('id');
  if (options.since !== undefined) query = query.where('sent_at', '>=', options.since);
  if (options.kind !== undefined) query = query.where('kind', '=', options.kind);
  const rows = await query.execute();
  return rows.map((row) => ({ kind: row.kind, dedupKey: row.dedup_key, sentAt: Number(row.sent_at) }));
}

/** Records many keys at once (e.g. the history a newly bound channel must not be told about). */
export async function recordNudgesSent(db: Kysely<Database>, kind: string, dedupKeys: readonly string[], now: number): Promise<number> {
  let added = 0;
  for (let i = 0; i < dedupKeys.length; i += 500) {
    const chunk = dedupKeys.slice(i, i + 500);
    const result = await db
      .insertInto('nudge_sent')
      .values(chunk.map((key) => ({ kind, dedup_key: key, sent_at: now })))
      .onConflict((oc) => oc.column('dedup_key').doNothing())
      .executeTakeFirst();
    added += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  return added;
}

/** `dedup_key` starts with `prefix`, as a range the key's index can serve. */
export function keyHasPrefix(db: Kysely<Database>, prefix: string) {
  if (prefix === '') return sql<boolean>`true`;
  const last = prefix.charCodeAt(prefix.length - 1);
  const upper = `${prefix.slice(0, -1)}${String.fromCharCode(last + 1)}`;
  return dialectOf(db) === 'postgres'
    ? sql<boolean>`(dedup_key collate "C") >= ${prefix} and (dedup_key collate "C") < ${upper}`
    : sql<boolean>`dedup_key >= ${prefix} and dedup_key < ${upper}`;
}

/**
 * Marks keys a nudge still relies on (an item still aging, a signal still on the chart, an
 * open epic's ask), so retention keeps them; written at most once a day per key.
 */
export async function touchNudgesSent(db: Kysely<Database>, dedupKeys: readonly string[], now: number): Promise<void> {
  for (let i = 0; i < dedupKeys.length; i += 500) {
    const chunk = dedupKeys.slice(i, i + 500);
    await db
      .updateTable('nudge_sent')
      .set({ seen_at: now })
      .where('dedup_key', 'in', chunk)
      .where((eb) => eb.fn.coalesce('seen_at', 'sent_at'), '<', now - 86_400_000)
      .execute();
  }
}
