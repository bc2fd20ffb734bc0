/**
 * 0017: each work item's last move (issue 18): `last_moved_at`, the time of its latest
 * transition, and `last_status`, the status that move led to (null when transitions at that
 * same instant lead to different statuses, so which one is last is not read from the row).
 * Both are kept up to date in the transaction that adds transitions (src/store/item-last-move.ts).
 * They depend on no map: a windowed read leaves out the items whose last move was into a done
 * status before the window (src/store/work-item-load.ts), whatever stages the map draws.
 * Existing rows get theirs from their transitions here.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('work_item').addColumn('last_moved_at', 'bigint').execute();
  await db.schema.alterTable('work_item').addColumn('last_status', 'text').execute();
  await sql`
    UPDATE work_item SET
      last_moved_at = (SELECT MAX(t.at) FROM "transition" t WHERE t.item_id = work_item.id),
      last_status = (
        SELECT CASE WHEN COUNT(DISTINCT t.to_status) = 1 THEN MIN(t.to_status) END FROM "transition" t
         WHERE t.item_id = work_item.id AND t.at = (SELECT MAX(u.at) FROM "transition" u WHERE u.item_id = work_item.id))`.execute(db);
  await db.schema.createIndex('work_item_stream_last_move').on('work_item').columns(['stream_id', 'last_moved_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('work_item_stream_last_move').execute();
  await db.schema.alterTable('work_item').dropColumn('last_status').execute();
  await db.schema.alterTable('work_item').dropColumn('last_moved_at').execute();
}
