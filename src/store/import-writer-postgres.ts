/** The import's Postgres writer: multi-row inserts per batch (`unnest` arrays), in the import's transaction. */
import { sql, type Kysely } from 'kysely';
import type { WorkItem } from '../core/types.ts';
import { changedHistory, newState, ownKey, unmetItems, type ImportContext, type ImportWriter, type WriterState } from './import-writer.ts';
import { updateLastMovesPg } from './item-last-move.ts';
import type { Database } from './schema.ts';
import { bumpStreamVersion } from './stream-version.ts';
import { checkItem, importedValues, sameValues, toFromStatus } from './work-item-rows.ts';

const PG_ITEM_BATCH = 500;
const PG_TRANSITION_BATCH = 5_000;

/** an import of at least this many transitions refreshes Postgres's statistics of the item tables */
const ANALYZE_AFTER_TRANSITIONS = 10_000;

export function postgresWriter(trx: Kysely<Database>, c: ImportContext): ImportWriter {
  const state = newState();
  const { ids, untouched, result } = state;
  return {
    async write(items) {
      for (const item of items) checkItem(item);
      const unmet = unmetItems(items, ids);
      for (let start = 0; start < unmet.length; start += PG_ITEM_BATCH) {
        await upsertItemBatch(trx, unmet.slice(start, start + PG_ITEM_BATCH), c, state);
      }
      const rows = items.flatMap((item) => {
        const id = ids.get(item.key)!;
        return item.transitions.map((t) => ({ item_id: id, from_status: toFromStatus(t.from), to_status: t.to, at: t.at }));
      });
      const touched = new Set<number>();
      // items that got a transition: their last move is brought up to date after the inserts
      const moved = new Set<number>();
      for (let i = 0; i < rows.length; i += PG_TRANSITION_BATCH) {
        const chunk = rows.slice(i, i + PG_TRANSITION_BATCH);
        // one array parameter per column (unnest) instead of five parameters per row:
        // Postgres parses and plans one small statement per batch
        const inserted = await sql<{ item_id: number }>`
          INSERT INTO "transition" (item_id, from_status, to_status, at, source)
          SELECT *, ${c.source}::text FROM unnest(${chunk.map((r) => r.item_id)}::integer[], ${chunk.map((r) => r.from_status)}::text[],
                               ${chunk.map((r) => r.to_status)}::text[], ${chunk.map((r) => r.at)}::bigint[])
          ON CONFLICT (item_id, from_status, to_status, at) DO NOTHING
          RETURNING item_id`.execute(trx);
        result.transitionsAdded += inserted.rows.length;
        for (const row of inserted.rows) {
          moved.add(row.item_id);
          if (untouched.delete(row.item_id)) touched.add(row.item_id);
        }
      }
      await updateLastMovesPg(trx, moved, rows, PG_TRANSITION_BATCH);
      const flagRows = items.flatMap((item) => (item.flags ?? []).map((f) => ({ item_id: ids.get(item.key)!, at: f.at, flag: f.flag, is_set: f.on ? 1 : 0 })));
      for (let i = 0; i < flagRows.length; i += PG_TRANSITION_BATCH) {
        const chunk = flagRows.slice(i, i + PG_TRANSITION_BATCH);
        const inserted = await sql<{ item_id: number }>`
          INSERT INTO item_flag (item_id, at, flag, is_set, source)
          SELECT *, ${c.source}::text FROM unnest(${chunk.map((r) => r.item_id)}::integer[], ${chunk.map((r) => r.at)}::bigint[],
                               ${chunk.map((r) => r.flag)}::text[], ${chunk.map((r) => r.is_set)}::integer[])
          ON CONFLICT (item_id, at, flag, is_set) DO NOTHING
          RETURNING item_id`.execute(trx);
        result.flagsAdded += inserted.rows.length;
        for (const row of inserted.rows) if (untouched.delete(row.item_id)) touched.add(row.item_id);
      }
      if (touched.size > 0) {
        await trx.updateTable('work_item').set({ updated_at: c.now }).where('id', 'in', [...touched]).execute();
      }
    },
    get itemsMet() {
      return ids.size;
    },
    async finish() {
      if (changedHistory(result)) await bumpStreamVersion(trx, c.streamId);
      // the planner's row counts, current before the first answer reads the new history (autovacuum
      // comes to it later; ANALYZE in the import's transaction counts its rows): without them a
      // windowed read scans every transition
      if (result.transitionsAdded >= ANALYZE_AFTER_TRANSITIONS) await sql`ANALYZE work_item, "transition", item_flag`.execute(trx);
      return { ...result };
    },
  };
}

/** Inserts the new items of one batch (keys not met yet in this import) and updates the changed ones; records their ids. */
async function upsertItemBatch(trx: Kysely<Database>, batch: WorkItem[], c: ImportContext, state: WriterState): Promise<void> {
  const { ids, untouched, result } = state;
  const selectExisting = () =>
    trx
      .selectFrom('work_item')
      .select(['id', 'key', 'type', 'title', 'parent_key', 'is_epic', 'created_at', 'anticipated_outcome', 'actual_outcome'])
      .where('stream_id', '=', c.streamId)
      .where('key', 'in', batch.map((item) => item.key))
      .execute();
  const existing = new Map((await selectExisting()).map((row) => [row.key, row]));
  const fresh = batch.filter((item) => !existing.has(item.key));
  if (fresh.length > 0) {
    const inserted = await trx
      .insertInto('work_item')
      .values(fresh.map((item) => ({ ...importedValues(item, undefined), stream_id: c.streamId, source: c.source, key: item.key, updated_at: c.now })))
      .onConflict((oc) => oc.columns(['stream_id', 'key']).doNothing())
      .returning(['id', 'key'])
      .execute();
    result.itemsAdded += inserted.length;
    for (const row of inserted) ids.set(ownKey(row.key), row.id);
    if (inserted.length < fresh.length) {
      // another writer stored some of these keys meanwhile: take their ids
      for (const row of await selectExisting()) if (!ids.has(row.key)) ids.set(ownKey(row.key), row.id);
    }
  }
  for (const item of batch) {
    const row = existing.get(item.key);
    if (!row) continue;
    ids.set(ownKey(item.key), row.id);
    const values = importedValues(item, row);
    if (sameValues(row, values)) {
      untouched.add(row.id);
      continue;
    }
    await trx.updateTable('work_item').set({ ...values, updated_at: c.now }).where('id', '=', row.id).execute();
    result.itemsUpdated += 1;
  }
}
