/**
 * 0002: what tracker ingest keeps beyond 0001.
 * - `backfill_cursor`: where a `flow-nudge backfill` run stopped, so the next run continues.
 * - `tracker_key_alias`: a vendor's global id → the item key (GitHub Projects v2
 *   events name an issue by its node id, issue events by owner/repo#number).
 */
import type { Kysely } from 'kysely';
import { dialectOf } from './dialect-of.ts';

export interface BackfillCursorTable {
  id: import('kysely').Generated<number>;
  stream_id: number;
  /** 'jira' | 'github' */
  vendor: string;
  /** what is being backfilled: the site + JQL, or owner/repo */
  scope: string;
  /** vendor-specific position (JSON) */
  cursor_json: string;
  /** 0 while running, 1 when the last run reached the end */
  done: number;
  updated_at: number;
}

export interface TrackerKeyAliasTable {
  id: import('kysely').Generated<number>;
  stream_id: number;
  source: string;
  alias: string;
  key: string;
}

/** The tables added by 0002, to intersect with the store's Database type. */
export interface TrackerTables {
  backfill_cursor: BackfillCursorTable;
  tracker_key_alias: TrackerKeyAliasTable;
}

function withId(db: Kysely<any>, name: string) {
  const table = db.schema.createTable(name);
  return dialectOf(db) === 'postgres'
    ? table.addColumn('id', 'serial', (c) => c.primaryKey())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, 'backfill_cursor')
    .addColumn('stream_id', 'integer', (c) => c.notNull().references('value_stream.id').onDelete('cascade'))
    .addColumn('vendor', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('cursor_json', 'text', (c) => c.notNull())
    .addColumn('done', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('backfill_cursor_unique', ['stream_id', 'vendor', 'scope'])
    .execute();
  await withId(db, 'tracker_key_alias')
    .addColumn('stream_id', 'integer', (c) => c.notNull().references('value_stream.id').onDelete('cascade'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('alias', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addUniqueConstraint('tracker_key_alias_unique', ['stream_id', 'source', 'alias'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('tracker_key_alias').ifExists().execute();
  await db.schema.dropTable('backfill_cursor').ifExists().execute();
}
