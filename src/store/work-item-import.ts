/**
 * Bulk import of work items with their transitions and flag events: one transaction for the
 * whole import, idempotent, fast, in batches so that a file of any size is
 * stored in the memory of one batch. SQLite goes through better-sqlite3
 * prepared statements (one statement per row, one select per batch for the
 * keys not met yet); Postgres through multi-row inserts per batch.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import type { WorkItem } from '../core/types.ts';
import { SQLITE_IMPORT_CACHE_KIB, type Store } from './database.ts';
import { lastMoveChanged, lastMoveOf, nextLastMove, NO_MOVE, updateLastMovesPg } from './item-last-move.ts';
import type { Database } from './schema.ts';
import { bumpStreamVersion, bumpStreamVersionSqlite } from './stream-version.ts';
import {
  checkItem,
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
  /** flag and label events not stored before (exact duplicates are skipped) */
  flagsAdded: number;
}

const PROGRESS_EVERY = 10_000;
const PG_ITEM_BATCH = 500;
const PG_TRANSITION_BATCH = 5_000;

/**
 * Stores items and their transitions in one transaction: all or nothing.
 * Importing the same input again adds nothing; an item already stored gets
 * its fields updated when they differ. An item given twice is merged (the
 * later fields win, the transitions are joined).
 *
 * @example
 * await importWorkItems(store, streamId, items, { source: 'jira' });
 * // → { itemsAdded: 120, itemsUpdated: 0, transitionsAdded: 964, flagsAdded: 0 }
 */
export async function importWorkItems(
  store: Store,
  streamId: number,
  items: readonly WorkItem[],
  options: ImportOptions = {},
): Promise<ImportResult> {
  const prepared = prepareItems(items);
  const total = prepared.reduce((sum, item) => sum + item.transitions.length, 0);
  const result = await withImportTransaction(store, async (_db, openWriter) => {
    const writer = await openWriter(streamId, options);
    let done = 0;
    let start = 0;
    while (start < prepared.length) {
      let end = start;
      let count = 0;
      while (end < prepared.length && count < PROGRESS_EVERY) count += prepared[end++].transitions.length;
      await writer.write(prepared.slice(start, end));
      done += count;
      start = end;
      if (start < prepared.length) options.onProgress?.(done, total);
    }
    return writer.finish();
  });
  options.onProgress?.(total, total);
  return result;
}

/**
 * Stores the items of an import batch by batch, inside withImportTransaction. An item whose key
 * came in an earlier batch of the same import only gets its transitions (its first batch's
 * fields are the item's); items are never read back one by one.
 */
export interface ImportWriter {
  write(items: readonly WorkItem[]): Promise<void>;
  /** how many distinct items the batches so far held */
  readonly itemsMet: number;
  /** The counts of the import; bumps the stream's version when its history changed. Call once, last. */
  finish(): Promise<ImportResult>;
}

export type OpenImportWriter = (streamId: number, options?: Pick<ImportOptions, 'source' | 'now'>) => Promise<ImportWriter>;

/** an import of at least this many transitions refreshes Postgres's statistics of the item tables */
const ANALYZE_AFTER_TRANSITIONS = 10_000;

/**
 * Runs `work` in one transaction of `store` (all or nothing: a throw rolls back every write of
 * it), with `db` the transaction for other writes of the import (the stream's map) and
 * `openWriter` for the items. On SQLite the writer's statements run on the same connection, so
 * they are part of the transaction.
 */
export async function withImportTransaction<T>(
  store: Store,
  work: (db: Kysely<Database>, openWriter: OpenImportWriter) => Promise<T>,
): Promise<T> {
  const { sqlite } = store;
  if (!sqlite) return store.db.transaction().execute((trx) => work(trx, async (streamId, options) => postgresWriter(trx, context(streamId, options))));
  return withImportCache(sqlite, () =>
    store.db.transaction().execute((trx) => work(trx, async (streamId, options) => sqliteWriter(sqlite, context(streamId, options)))),
  );
}

interface ImportContext {
  streamId: number;
  source: string;
  now: number;
}

function context(streamId: number, options: Pick<ImportOptions, 'source' | 'now'> = {}): ImportContext {
  return { streamId, source: options.source ?? 'import', now: options.now ?? Date.now() };
}

/** Whether an import changed the stream's history (then its version goes up, in the import's transaction). */
function changedHistory(result: ImportResult): boolean {
  return result.itemsAdded + result.itemsUpdated + result.transitionsAdded + result.flagsAdded > 0;
}

/** Runs `work` with SQLite's import page cache (smaller: see SQLITE_IMPORT_CACHE_KIB), and restores the cache after. */
async function withImportCache<T>(sqlite: BetterSqlite3.Database, work: () => Promise<T>): Promise<T> {
  const before = sqlite.pragma('cache_size', { simple: true }) as number;
  sqlite.pragma(`cache_size = ${SQLITE_IMPORT_CACHE_KIB}`);
  try {
    return await work();
  } finally {
    sqlite.pragma(`cache_size = ${before}`);
    sqlite.pragma('shrink_memory');
  }
}

/**
 * What a writer keeps between batches: the id of each key met in this import, and the stored
 * items that were unchanged (their updated_at moves only when a transition is added to them).
 */
interface WriterState {
  ids: Map<string, number>;
  untouched: Set<number>;
  result: ImportResult;
}

function newState(): WriterState {
  return { ids: new Map(), untouched: new Set(), result: { itemsAdded: 0, itemsUpdated: 0, transitionsAdded: 0, flagsAdded: 0 } };
}

/** The items of a batch whose key this import has not met yet, each key once. */
function unmetItems(items: readonly WorkItem[], ids: Map<string, number>): WorkItem[] {
  const seen = new Set<string>();
  return items.filter((item) => !ids.has(item.key) && !seen.has(item.key) && seen.add(item.key));
}

/** A key kept for the whole import, copied so that it does not hold on to the text it was cut from. */
const ownKey = (key: string) => ` ${key}`.slice(1);

type ExistingRow = WorkItemRowValues & { id: number; key: string };

function sqliteWriter(sqlite: BetterSqlite3.Database, c: ImportContext): ImportWriter {
  // keys of the batch that are stored already: one select per batch, none when the stream had no items
  const selectExisting = sqlite.prepare<[number, string], ExistingRow>(
    `SELECT id, key, type, title, parent_key, is_epic, created_at, anticipated_outcome, actual_outcome
       FROM work_item WHERE stream_id = ? AND key IN (SELECT value FROM json_each(?))`,
  );
  const insertItem = sqlite.prepare(
    `INSERT INTO work_item (stream_id, source, key, type, title, parent_key, is_epic, created_at,
       anticipated_outcome, actual_outcome, updated_at, last_moved_at, last_status)
     VALUES (@stream_id, @source, @key, @type, @title, @parent_key, @is_epic, @created_at,
       @anticipated_outcome, @actual_outcome, @updated_at, @last_moved_at, @last_status)`,
  );
  const selectLastMove = sqlite.prepare<[number], { last_moved_at: number | null; last_status: string | null }>(
    `SELECT last_moved_at, last_status FROM work_item WHERE id = ?`,
  );
  const setLastMove = sqlite.prepare(`UPDATE work_item SET last_moved_at = ?, last_status = ? WHERE id = ?`);
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
  const insertFlag = sqlite.prepare(`INSERT OR IGNORE INTO item_flag (item_id, at, flag, is_set, source) VALUES (?, ?, ?, ?, ?)`);
  const streamHadItems = sqlite.prepare(`SELECT 1 FROM work_item WHERE stream_id = ? LIMIT 1`).get(c.streamId) !== undefined;
  const state = newState();
  const { ids, untouched, result } = state;

  return {
    async write(items) {
      for (const item of items) checkItem(item);
      const unmet = unmetItems(items, ids);
      const existing = new Map<string, ExistingRow>();
      if (streamHadItems && unmet.length > 0) {
        for (const row of selectExisting.all(c.streamId, JSON.stringify(unmet.map((item) => item.key)))) existing.set(row.key, row);
      }
      for (const item of items) {
        let id = ids.get(item.key);
        // an item inserted here gets its last move with the row; one stored before, after its transitions
        let inserted = false;
        if (id === undefined) {
          const row = existing.get(item.key);
          const values = importedValues(item, row);
          if (!row) {
            const last = nextLastMove(NO_MOVE, item.transitions);
            id = Number(
              insertItem.run({ ...values, stream_id: c.streamId, source: c.source, key: item.key, updated_at: c.now, last_moved_at: last.at, last_status: last.status })
                .lastInsertRowid,
            );
            inserted = true;
            result.itemsAdded += 1;
          } else {
            id = row.id;
            if (!sameValues(row, values)) {
              updateItem.run({ ...values, id, updated_at: c.now });
              result.itemsUpdated += 1;
            } else untouched.add(id);
          }
          ids.set(ownKey(item.key), id);
        }
        let added = 0;
        for (const t of item.transitions) added += insertTransition.run(id, toFromStatus(t.from), t.to, t.at, c.source).changes;
        if (added > 0 && !inserted) {
          const before = lastMoveOf(selectLastMove.get(id)!);
          const after = nextLastMove(before, item.transitions);
          if (lastMoveChanged(before, after)) setLastMove.run(after.at, after.status, id);
        }
        let flagsAdded = 0;
        for (const f of item.flags ?? []) flagsAdded += insertFlag.run(id, f.at, f.flag, f.on ? 1 : 0, c.source).changes;
        if (added + flagsAdded > 0 && untouched.delete(id)) touchItem.run(c.now, id);
        result.transitionsAdded += added;
        result.flagsAdded += flagsAdded;
      }
    },
    get itemsMet() {
      return ids.size;
    },
    async finish() {
      if (changedHistory(result)) bumpStreamVersionSqlite(sqlite, c.streamId);
      return { ...result };
    },
  };
}

function postgresWriter(trx: Kysely<Database>, c: ImportContext): ImportWriter {
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
