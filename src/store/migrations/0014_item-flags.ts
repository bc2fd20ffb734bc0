/**
 * 0014: blocked flags (issue 16, item 2). `item_flag` holds each flag or label set on or cleared
 * from a work item: Jira's Flagged field (`flag` = 'flagged') and tracker labels
 * (`flag` = 'label:<name>'), with the time it happened (`is_set` 1: set, 0: cleared). Every label
 * is kept, whatever the map says now: the map's `blockedLabels` and `blockedWhenFlagged` choose
 * which ones count as blocked when the metrics are computed, so changing them needs no new import.
 * Exact duplicates (a redelivery, a second import) are one row: the key is item, time, flag, set.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('item_flag')
    .addColumn('item_id', 'integer', (c) => c.notNull().references('work_item.id').onDelete('cascade'))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('flag', 'text', (c) => c.notNull())
    .addColumn('is_set', 'integer', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    // (item_id, at, ...) first: the one index also serves "an item's flags by time"
    .addPrimaryKeyConstraint('item_flag_pk', ['item_id', 'at', 'flag', 'is_set'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('item_flag').ifExists().execute();
}
