/**
 * The stream's version (migration 0013): one number on the stream row that goes up with every
 * write to its history — items, transitions, outcomes, flow events — in the same transaction as
 * the write. A cache of the history (src/commands/flow-history-cache.ts) is current exactly when
 * the version it was loaded at is still the stored one: one indexed read per question.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

/** Adds one to the stream's version. Call it inside the transaction of the write it marks. */
export async function bumpStreamVersion(db: Kysely<Database>, streamId: number): Promise<void> {
  await db
    .updateTable('value_stream')
    .set((eb) => ({ version: eb('version', '+', 1) }))
    .where('id', '=', streamId)
    .execute();
}

/** The same, for writers that go through better-sqlite3 directly (the SQLite bulk import). */
export function bumpStreamVersionSqlite(sqlite: BetterSqlite3.Database, streamId: number): void {
  sqlite.prepare('UPDATE value_stream SET version = version + 1 WHERE id = ?').run(streamId);
}

/** The stream's version, or null when there is no such stream. */
export async function streamVersionOf(db: Kysely<Database>, streamId: number): Promise<string | null> {
  const row = await db.selectFrom('value_stream').select('version').where('id', '=', streamId).executeTakeFirst();
  return row ? String(row.version) : null;
}

/**
 * Runs `write` and bumps the stream's version when it returns true, in one transaction: the
 * caller's when `db` is one already, else a new one.
 */
export async function writeStreamHistory<T>(
  db: Kysely<Database>,
  streamId: number,
  write: (db: Kysely<Database>) => Promise<T>,
  changed: (result: T) => boolean,
): Promise<T> {
  const run = async (trx: Kysely<Database>): Promise<T> => {
    const result = await write(trx);
    if (changed(result)) await bumpStreamVersion(trx, streamId);
    return result;
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}
