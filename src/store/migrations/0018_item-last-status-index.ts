/**
 * 0018: the windowed read's index (issue 18). A windowed read keeps every item except those whose
 * last move was into a done status before the window (src/store/work-item-load.ts). On
 * `(stream_id, last_status, last_moved_at)` that is a handful of index ranges: the statuses
 * around the done ones, and each done status from the window's start on; `is_epic` rides along
 * so the count of the flow items left out (the CFD's done band starts from it) reads the index
 * alone. Epics are few and always read (the Feature Factory Ratio counts all of them), from a
 * partial index. The 0017 index on `(stream_id, last_moved_at)` could only serve a window as a
 * scan of the whole stream, so it goes.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('work_item_stream_last_status').on('work_item').columns(['stream_id', 'last_status', 'last_moved_at', 'is_epic']).execute();
  await sql`CREATE INDEX work_item_stream_epic ON work_item (stream_id) WHERE is_epic = 1`.execute(db);
  await db.schema.dropIndex('work_item_stream_last_move').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('work_item_stream_last_move').on('work_item').columns(['stream_id', 'last_moved_at']).execute();
  await db.schema.dropIndex('work_item_stream_epic').execute();
  await db.schema.dropIndex('work_item_stream_last_status').execute();
}
