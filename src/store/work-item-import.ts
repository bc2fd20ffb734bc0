/**
 * Bulk import of work items with their transitions: one transaction for the
 * whole call, idempotent, fast. SQLite goes through better-sqlite3 prepared
 * statements; Postgres through multi-row inserts in batches.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import type { WorkItem } from '../core/types.ts';
import { SQLITE_IMPORT_CACHE_KIB, type Store } from './database.ts';
import type { Database } from './schema.ts';
import { bumpStreamVersion, bumpStreamVersionSqlite } from './stream-version.ts';
import {
  importedValues,
  prepareItems,
  sameValues,
  toFromStatus,
  type WorkItemRowValues,
} from './work-item-rows.ts';

export interface ImportOptions {
  /** where the items come from: 'import' (default), 'jira', 'github', ... */
  source?: string;
  /** called now and then with the transitions processed so far and the total number of transitions given */
  onProgress?: (done: number, total: number) => void;
  /** the clock for `updated_at` (epoch ms); defaults to Date.now() */
  now?: number;
}

export interface ImportResult {
  itemsAdded: number;
  /** existing items whose fields changed */
  itemsUpdated: number;
  /** transitions not stored before (exact duplicates are skipped) */
  transitionsAdded: number;
}

const PROGRESS_EVERY = 10_000;
const PG_ITEM_BATCH = 500;
const PG_TRANSITION_BATCH = 5_000;

/**
 * Stores items and their transitions in one transaction: all or nothing.
 * Importing the same input again adds nothing; an item already stored gets
 * its fields updated when they differ.
 *
 * @example
 * await importWorkItems(store, streamId, items, { source: 'jira' });
 * // → { itemsAdded: 120, itemsUpdated: 0, transitionsAdded: 964 }
 */
export async function importWorkItems(
  store: Store,
  streamId: number,
  items: readonly WorkItem[],
  options: ImportOptions = {},
): Promise<ImportResult> {
  const prepared = prepareItems(items);
  const total = prepared.reduce((sum, item) => sum + item.transitions.length, 0);
  const context = { streamId, source: options.source ?? 'import', now: options.now ?? Date.now(), total, onProgress: options.onProgress };
  const result = store.sqlite
    ? withImportCache(store.sqlite, () => importIntoSqlite(store.sqlite!, prepared, context))
    : await importIntoPostgres(store.db, prepared, context);
  options.onProgress?.(total, total);
  return result;
}

interface ImportContext {
  streamId: number;
  source: string;
  now: number;
  /** transitions given, for progress */
  total: number;
  onProgress?: (done: number, total: number) => void;
}

/** Whether an import changed the stream's history (then its version goes up, in the import's transaction). */
function changedHistory(result: ImportResult): boolean {
  return result.itemsAdded + result.itemsUpdated + result.transitionsAdded > 0;
}

/** Runs `work` with SQLite's larger import page cache, and gives the memory back after. */
function withImportCache<T>(sqlite: BetterSqlite3.Database, work: () => T): T {
  const before = sqlite.pragma('cache_size', { simple: true }) as number;
  sqlite.pragma(`cache_size = ${Math.min(before, SQLITE_IMPORT_CACHE_KIB)}`);
  try {
    return work();
  } finally {
    sqlite.pragma(`cache_size = ${before}`);
    sqlite.pragma('shrink_memory');
  }
}

function importIntoSqlite(sqlite: BetterSqlite3.Database, items: WorkItem[], c: ImportContext): ImportResult {
  const selectItem = sqlite.prepare<[number, string], WorkItemRowValues & { id: number }>(
    `SELECT id, type, title, parent_key, is_epic, created_at, anticipated_outcome, actual_outcome
       FROM work_item WHERE stream_id = ? AND key = ?`,
  );
  const insertItem = sqlite.prepare(
    `INSERT INTO work_item (stream_id, source, key, type, title, parent_key, is_epic, created_at,
       anticipated_outcome, actual_outcome, updated_at)
     VALUES (@stream_id, @source, @key, @type, @title, @parent_key, @is_epic, @created_at,
       @anticipated_outcome, @actual_outcome, @updated_at)`,
  );
  const updateItem = sqlite.prepare(
    `UPDATE work_item SET type = @type, title = @title, parent_key = @parent_key, is_epic = @is_epic,
       created_at = @created_at, anticipated_outcome = @anticipated_outcome, actual_outcome = @actual_outcome,
       updated_at = @updated_at
     WHERE id = @id`,
  );
  const insertTransition = sqlite.prepare(
    `INSERT OR IGNORE INTO "transition" (item_id, from_status, to_status, at, source) VALUES (?, ?, ?, ?, ?)`,
  );
  const touchItem = sqlite.prepare(`UPDATE work_item SET updated_at = ? WHERE id = ?`);

  const run = sqlite.transaction((): ImportResult => {
    const result: ImportResult = { itemsAdded: 0, itemsUpdated: 0, transitionsAdded: 0 };
    let done = 0;
    let reported = 0;
    for (const item of items) {
      const existing = selectItem.get(c.streamId, item.key);
      const values = importedValues(item, existing);
      let id: number;
      let touched = false;
      if (!existing) {
        const info = insertItem.run({ ...values, stream_id: c.streamId, source: c.source, key: item.key, updated_at: c.now });
        id = Number(info.lastInsertRowid);
        result.itemsAdded += 1;
        touched = true;
      } else {
        id = existing.id;
        if (!sameValues(existing, values)) {
          updateItem.run({ ...values, id, updated_at: c.now });
          result.itemsUpdated += 1;
          touched = true;
        }
      }
      let added = 0;
      for (const t of item.transitions) {
        added += insertTransition.run(id, toFromStatus(t.from), t.to, t.at, c.source).changes;
      }
      if (added > 0 && !touched) touchItem.run(c.now, id);
      result.transitionsAdded += added;
      done += item.transitions.length;
      if (done - reported >= PROGRESS_EVERY) {
        c.onProgress?.(done, c.total);
        reported = done;
      }
    }
    if (changedHistory(result)) bumpStreamVersionSqlite(sqlite, c.streamId);
    return result;
  });
  return run();
}

async function importIntoPostgres(db: Kysely<Database>, items: WorkItem[], c: ImportContext): Promise<ImportResult> {
  return db.transaction().execute(async (trx) => {
    const result: ImportResult = { itemsAdded: 0, itemsUpdated: 0, transitionsAdded: 0 };
    let done = 0;
    for (let start = 0; start < items.length; start += PG_ITEM_BATCH) {
      const batch = items.slice(start, start + PG_ITEM_BATCH);
      const ids = await upsertItemBatch(trx, batch, c, result);
      const rows = batch.flatMap((item) =>
        item.transitions.map((t) => ({
          item_id: ids.get(item.key)!,
          from_status: toFromStatus(t.from),
          to_status: t.to,
          at: t.at,
          source: c.source,
        })),
      );
      const touched = new Set<number>();
      for (let i = 0; i < rows.length; i += PG_TRANSITION_BATCH) {
        const chunk = rows.slice(i, i + PG_TRANSITION_BATCH);
        // one array parameter per column (unnest) instead of five parameters per row:
        // Postgres parses and plans one small statement per batch
        const inserted = await sql<{ item_id: number }>`
          INSERT INTO "transition" (item_id, from_status, to_status, at, source)
          SELECT * FROM unnest(${chunk.map((r) => r.item_id)}::integer[], ${chunk.map((r) => r.from_status)}::text[],
                               ${chunk.map((r) => r.to_status)}::text[], ${chunk.map((r) => r.at)}::bigint[],
                               ${chunk.map((r) => r.source)}::text[])
          ON CONFLICT (item_id, from_status, to_status, at) DO NOTHING
          RETURNING item_id`.execute(trx);
        result.transitionsAdded += inserted.rows.length;
        for (const row of inserted.rows) touched.add(row.item_id);
      }
      if (touched.size > 0) {
        await trx.updateTable('work_item').set({ updated_at: c.now }).where('id', 'in', [...touched]).execute();
      }
      done += rows.length;
      c.onProgress?.(done, c.total);
    }
    if (changedHistory(result)) await bumpStreamVersion(trx, c.streamId);
    return result;
  });
}

/** Inserts new items and updates changed ones of one batch; returns key → id for the whole batch. */
async function upsertItemBatch(
  trx: Kysely<Database>,
  batch: WorkItem[],
  c: ImportContext,
  result: ImportResult,
): Promise<Map<string, number>> {
  const selectExisting = () =>
    trx
      .selectFrom('work_item')
      .select(['id', 'key', 'type', 'title', 'parent_key', 'is_epic', 'created_at', 'anticipated_outcome', 'actual_outcome'])
      .where('stream_id', '=', c.streamId)
      .where('key', 'in', batch.map((item) => item.key))
      .execute();
  const existing = new Map((await selectExisting()).map((row) => [row.key, row]));
  const ids = new Map<string, number>([...existing].map(([key, row]) => [key, row.id]));

  const fresh = batch.filter((item) => !existing.has(item.key));
  if (fresh.length > 0) {
    const inserted = await trx
      .insertInto('work_item')
      .values(fresh.map((item) => ({ ...importedValues(item, undefined), stream_id: c.streamId, source: c.source, key: item.key, updated_at: c.now })))
      .onConflict((oc) => oc.columns(['stream_id', 'key']).doNothing())
      .returning(['id', 'key'])
      .execute();
    result.itemsAdded += inserted.length;
    for (const row of inserted) ids.set(row.key, row.id);
    if (inserted.length < fresh.length) {
      // another writer stored some of these keys meanwhile: take their ids
      for (const row of await selectExisting()) ids.set(row.key, row.id);
    }
  }

  for (const item of batch) {
    const row = existing.get(item.key);
    if (!row) continue;
    const values = importedValues(item, row);
    if (sameValues(row, values)) continue;
    await trx.updateTable('work_item').set({ ...values, updated_at: c.now }).where('id', '=', row.id).execute();
    result.itemsUpdated += 1;
  }
  return ids;
}
