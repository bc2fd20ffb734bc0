/**
 * Bulk import of work items with their transitions and flag events: one transaction for the
 * whole import, idempotent, fast, in batches so that a file of any size is
 * stored in the memory of one batch. SQLite goes through better-sqlite3
 * prepared statements (./import-writer-sqlite.ts); Postgres through multi-row
 * inserts per batch (./import-writer-postgres.ts).
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { WorkItem } from '../core/types.ts';
import { SQLITE_IMPORT_CACHE_KIB, type Store } from './database.ts';
import type { ImportContext, ImportWriter } from './import-writer.ts';
import { postgresWriter } from './import-writer-postgres.ts';
import { sqliteWriter } from './import-writer-sqlite.ts';
import type { Database } from './schema.ts';
import { prepareItems } from './work-item-rows.ts';

export type { ImportWriter } from './import-writer.ts';

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

export type OpenImportWriter = (streamId: number, options?: Pick<ImportOptions, 'source' | 'now'>) => Promise<ImportWriter>;

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

function context(streamId: number, options: Pick<ImportOptions, 'source' | 'now'> = {}): ImportContext {
  return { streamId, source: options.source ?? 'import', now: options.now ?? Date.now() };
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

