/**
 * 0018: the windowed read's index (issue 18). A windowed read keeps every item except those whose
 * last move was into a done status before the window (src/store/work-item-load.ts). On
 * `(stream_id, last_status, last_moved_at)` that is a handful of index ranges: the statuses
 * around the done ones, and each done status from the window's start on. The 0017 index on
 * `(stream_id, last_moved_at)` could only serve that as a scan of the whole stream, so it goes.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('work_item_stream_last_status').on('work_item').columns(['stream_id', 'last_status', 'last_moved_at']).execute();
  await db.schema.dropIndex('work_item_stream_last_move').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('work_item_stream_last_move').on('work_item').columns(['stream_id', 'last_moved_at']).execute();
  await db.schema.dropIndex('work_item_stream_last_status').execute();
}
