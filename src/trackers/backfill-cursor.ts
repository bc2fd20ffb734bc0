/** Where a backfill stopped (table backfill_cursor, migration 0002), so the next run continues there. */
import type { Kysely } from 'kysely';
import type { TrackerTables } from '../store/migrations/0002_backfill-cursor.ts';
import type { AnyKysely } from '../store/database.ts';

export interface BackfillCursor<T> {
  position: T;
  /** true when the run that saved it reached the end */
  done: boolean;
}

export async function readBackfillCursor<T>(db: AnyKysely, streamId: number, vendor: string, scope: string): Promise<BackfillCursor<T> | null> {
  const row = await (db as Kysely<TrackerTables>)
    .selectFrom('backfill_cursor')
    .select(['cursor_json', 'done'])
    .where('stream_id', '=', streamId)
    .where('vendor', '=', vendor)
    .where('scope', '=', scope)
    .executeTakeFirst();
  return row ? { position: JSON.parse(row.cursor_json) as T, done: Number(row.done) === 1 } : null;
}

export async function saveBackfillCursor<T>(
  db: AnyKysely,
  streamId: number,
  vendor: string,
  scope: string,
  cursor: BackfillCursor<T>,
  now: number,
): Promise<void> {
  await (db as Kysely<TrackerTables>)
    .insertInto('backfill_cursor')
    .values({ stream_id: streamId, vendor, scope, cursor_json: JSON.stringify(cursor.position), done: cursor.done ? 1 : 0, updated_at: now })
    .onConflict((oc) =>
      oc.columns(['stream_id', 'vendor', 'scope']).doUpdateSet({ cursor_json: JSON.stringify(cursor.position), done: cursor.done ? 1 : 0, updated_at: now }),
    )
    .execute();
}
