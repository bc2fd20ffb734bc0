/**
 * Reading a stream's work items with their transitions, fast enough for a
 * million transitions: one query for the items, one for the transitions,
 * grouped in memory.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import type { StreamMap, Transition, WorkItem } from '../core/types.ts';
import { arrayRowsOf, sqliteHandleOf } from './database.ts';
import { attachFlags, selectStreamFlags, type FlagRow } from './item-flags.ts';
import type { Database } from './schema.ts';
import { attachTransitions, toItemType } from './work-item-rows.ts';

/**
 * Which items a windowed read needs (`matterFrom`): all but the flow items whose last move
 * (migration 0017) was into a done status of the map before `at`. Those sat done and unchanged
 * through the whole window: nothing measured over it counts them, except the CFD's done bands,
 * which start from their count (`countLeftOut`). Every other item comes with its whole history,
 * epics always (they are few, and the Feature Factory Ratio counts them all). A status the map
 * writes differently (case, spaces) only costs a row more.
 */
export interface MatterFrom {
  at: number;
  map: StreamMap;
}

const doneStatusesOf = (map: StreamMap): string[] => map.stages.filter((s) => s.kind === 'done').flatMap((s) => s.statuses);

/**
 * The kept items as index ranges on `(stream_id, last_status, last_moved_at)` (migration 0018),
 * so a window reads about its own items, not every row of the stream: no last status, each gap
 * around the done statuses (`done` sorted by the database, as its index is), and each done
 * status moved into from `at` on. A last move with no time but a status cannot be written; its
 * range is there so the read never depends on that.
 */
type Arm = { below?: number; above?: number; done?: number; since?: boolean } | 'no status' | 'epic';

function armsOf(doneCount: number): Arm[] {
  const arms: Arm[] = ['epic', 'no status', { below: 0 }];
  for (let i = 1; i < doneCount; i += 1) arms.push({ above: i - 1, below: i });
  arms.push({ above: doneCount - 1 });
  for (let i = 0; i < doneCount; i += 1) arms.push({ done: i, since: true }, { done: i, since: false });
  return arms;
}

/** The kept items' ids as one query, the arms joined by UNION ALL (compiled for SQLite, a subquery on Postgres). */
function keptIdsQuery(db: Kysely<Database>, streamId: number, at: number, done: string[]) {
  const arms = armsOf(done.length).map((arm) =>
    db
      .selectFrom('work_item')
      .select('id')
      .where('stream_id', '=', streamId)
      .where((eb) => {
        if (arm === 'no status') return eb('last_status', 'is', null);
        if (arm === 'epic') return eb('is_epic', '=', 1);
        if (arm.done !== undefined) return eb.and([eb('last_status', '=', done[arm.done]!), arm.since ? eb('last_moved_at', '>=', at) : eb('last_moved_at', 'is', null)]);
        return eb.and([
          ...(arm.above === undefined ? [] : [eb('last_status', '>', done[arm.above]!)]),
          ...(arm.below === undefined ? [] : [eb('last_status', '<', done[arm.below]!)]),
        ]);
      }),
  );
  return arms.slice(1).reduce((all, arm) => all.unionAll(arm), arms[0]!);
}

/** The map's done statuses, each once, in the order the database sorts `last_status` (its collation). */
async function doneInIndexOrder(db: Kysely<Database>, sqlite: BetterSqlite3.Database | undefined, map: StreamMap): Promise<string[]> {
  const done = doneStatusesOf(map);
  if (sqlite) {
    return sqlite
      .prepare<[string], string>('SELECT DISTINCT value FROM json_each(?) ORDER BY value')
      .pluck()
      .all(JSON.stringify(done));
  }
  const rows = await sql<{ s: string }>`SELECT DISTINCT s FROM unnest(${done}::text[]) AS s ORDER BY s`.execute(db);
  return rows.rows.map((r) => r.s);
}

/**
 * The flow items a windowed read leaves out (see MatterFrom), counted by the done status they sit
 * in: one range of the index per done status.
 * @example await countLeftOut(db, 7, { at, map }) // { Done: 912_004, Released: 3 }
 */
export async function countLeftOut(db: Kysely<Database>, streamId: number, matterFrom: MatterFrom): Promise<Record<string, number>> {
  const sqlite = sqliteHandleOf(db);
  const done = [...new Set(doneStatusesOf(matterFrom.map))];
  const counts: Record<string, number> = {};
  if (done.length === 0) return counts;
  if (sqlite) {
    const count = sqlite.prepare<[number, string, number], number>(
      'SELECT COUNT(*) FROM work_item WHERE stream_id = ? AND last_status = ? AND last_moved_at < ? AND is_epic = 0',
    ).pluck();
    for (const status of done) counts[status] = count.get(streamId, status, matterFrom.at) ?? 0;
    return counts;
  }
  const rows = await db
    .selectFrom('work_item')
    .select(['last_status', (eb) => eb.fn.countAll<string>().as('n')])
    .where('stream_id', '=', streamId)
    .where('last_status', 'in', done)
    .where('last_moved_at', '<', matterFrom.at)
    .where('is_epic', '=', 0)
    .groupBy('last_status')
    .execute();
  for (const status of done) counts[status] = 0;
  for (const row of rows) counts[row.last_status!] = Number(row.n);
  return counts;
}

/**
 * Every item of a stream with its transitions (sorted by time; a `from` of
 * null is the first status seen) and its flag events (`flags`, only on items that
 * have some). One query for the items, one for the transitions, one for the flags.
 *
 * `matterFrom` keeps only the items that can matter from its time on (see MatterFrom).
 */
export async function loadWorkItems(
  db: Kysely<Database>,
  streamId: number,
  options: { matterFrom?: MatterFrom; /** told how many items were read, before their transitions are */ onItems?: (count: number) => void } = {},
): Promise<WorkItem[]> {
  const { matterFrom } = options;
  const sqlite = sqliteHandleOf(db);
  // with no done status in the map every item can matter
  const done = matterFrom ? await doneInIndexOrder(db, sqlite, matterFrom.map) : [];
  const window = matterFrom && done.length > 0 ? { at: matterFrom.at, done } : undefined;
  return loadItemsOf(db, streamId, window ? keptIdsQuery(db, streamId, window.at, window.done) : undefined, options.onItems);
}

/** The ids of a stream's work items, in id order (what a chunked read splits). */
export async function workItemIdsOf(db: Kysely<Database>, streamId: number): Promise<number[]> {
  const sqlite = sqliteHandleOf(db);
  if (sqlite) return sqlite.prepare<[number], number>('SELECT id FROM work_item WHERE stream_id = ? ORDER BY id').pluck().all(streamId);
  const rows = await db.selectFrom('work_item').select('id').where('stream_id', '=', streamId).orderBy('id').execute();
  return rows.map((r) => r.id);
}

/**
 * The stream's items with ids from `first` to `last` (both included) with their transitions and
 * flags, as loadWorkItems reads them: one chunk of a read that never holds every transition at once.
 */
export async function loadWorkItemChunk(db: Kysely<Database>, streamId: number, ids: { first: number; last: number }): Promise<WorkItem[]> {
  // `+stream_id`: no index on the stream, so the plan walks the primary key's range (with the
  // stream's index, SQLite would scan every item of the stream for each chunk)
  const range = db.selectFrom('work_item').select('id').where('id', '>=', ids.first).where('id', '<=', ids.last).where(sql<number>`+stream_id`, '=', streamId);
  return loadItemsOf(db, streamId, range);
}

type KeptIds = ReturnType<typeof keptIdsQuery>;

/** The stream's items (or only the `kept` ids) with their transitions and flags. */
async function loadItemsOf(db: Kysely<Database>, streamId: number, kept: KeptIds | undefined, onItems?: (count: number) => void): Promise<WorkItem[]> {
  const sqlite = sqliteHandleOf(db);
  if (sqlite) return loadFromSqlite(sqlite, streamId, kept?.compile(), onItems);
  const matters = (eb: ExpressionBuilder<Database, 'work_item'>) => eb('work_item.id', 'in', kept!);

  let itemQuery = db
    .selectFrom('work_item')
    .select(['id', 'key', 'type', 'title', 'parent_key', 'is_epic', 'created_at', 'anticipated_outcome', 'actual_outcome'])
    .where('stream_id', '=', streamId)
    .orderBy('id');
  if (kept) itemQuery = itemQuery.where(matters);

  // a window's transitions by the kept ids alone (they are the stream's): no join, so the planner
  // walks the transitions' (item_id, …) index for each kept item. Not sorted there: the kept ids
  // come hashed, so ORDER BY would sort every row (on disk past work_mem: ~100 ms of a first
  // answer at 1M items); each item's rows arrive together in index order, put in (at, id) order here
  const transitionQuery = (
    kept
      ? db.selectFrom('transition').where('transition.item_id', 'in', kept)
      : db
          .selectFrom('transition')
          .innerJoin('work_item', 'work_item.id', 'transition.item_id')
          .where('work_item.stream_id', '=', streamId)
          .orderBy('transition.item_id')
          .orderBy('transition.at')
          .orderBy('transition.id')
  ).select(['transition.item_id', 'transition.from_status', 'transition.to_status', 'transition.at', 'transition.id']);

  // the transitions as arrays, as the SQLite path reads them: a window's ~250k rows at 1M items
  const [itemRows, transitionRows, flagRows] = await Promise.all([
    itemQuery.execute(),
    arrayRowsOf(db, transitionQuery) as Promise<TransitionArray[]>,
    selectStreamFlags(db, streamId, kept ? matters : undefined),
  ]);
  onItems?.(itemRows.length);
  const byId = new Map<number, WorkItem>();
  for (const row of itemRows) byId.set(row.id, toWorkItem(row));
  attachTransitions(byId, inItemOrder(transitionRows));
  attachFlags(byId, flagRows);
  return [...byId.values()];
}

/** A transition row of the Postgres read: TransitionRow's columns, then its id (for moves at one instant). */
type TransitionArray = [number, string, string, number | string, number];

/**
 * Transition rows with each item's rows together and in (at, id) order, as ORDER BY item_id, at,
 * id would give them (which item comes first does not matter to the caller): the rows
 * themselves when they already are (one pass), else sorted.
 */
function inItemOrder(rows: TransitionArray[]): TransitionArray[] {
  const done = new Set<number>();
  for (let i = 1; i < rows.length; i += 1) {
    const [itemId, , , at, id] = rows[i]!;
    const [previousItemId, , , previousAt, previousId] = rows[i - 1]!;
    if (itemId !== previousItemId) {
      done.add(previousItemId);
      if (!done.has(itemId)) continue;
    } else {
      const d = Number(at) - Number(previousAt);
      if (d > 0 || (d === 0 && id > previousId)) continue;
    }
    return [...rows].sort((a, b) => a[0] - b[0] || Number(a[3]) - Number(b[3]) || a[4] - b[4]);
  }
  return rows;
}

type ItemRow = Pick<
  Database['work_item'],
  'key' | 'type' | 'title' | 'parent_key' | 'is_epic' | 'created_at' | 'anticipated_outcome' | 'actual_outcome'
> & { id: number };

/** A work_item row as a WorkItem (transitions attached by the caller). */
export function toWorkItem(row: ItemRow): WorkItem {
  return {
    key: row.key,
    type: toItemType(row.type),
    title: row.title,
    parentKey: row.parent_key,
    isEpic: row.is_epic === 1,
    createdAt: Number(row.created_at),
    transitions: [],
    anticipatedOutcome: row.anticipated_outcome,
    actualOutcome: row.actual_outcome,
  };
}

/**
 * The SQLite read path: the same two queries through prepared statements,
 * transitions as raw arrays. No ORDER BY: the plan walks each item's
 * transitions through the (item_id, at, ...) unique index, so they arrive
 * grouped by item and sorted by time without a sort step.
 */
function loadFromSqlite(
  sqlite: BetterSqlite3.Database,
  streamId: number,
  kept: { sql: string; parameters: readonly unknown[] } | undefined,
  onItems?: (count: number) => void,
): WorkItem[] {
  // which rows: the stream's, or in a window the kept ids alone (no join: the ids already are the stream's)
  let params: unknown[] = [streamId];
  let items = 'w.stream_id = ?';
  let rowsOf = (alias: 't' | 'f') => `JOIN work_item w ON w.id = ${alias}.item_id WHERE w.stream_id = ?`;
  if (kept) {
    params = [...kept.parameters];
    items = `w.id IN (${kept.sql})`;
    rowsOf = (alias) => `WHERE ${alias}.item_id IN (${kept.sql})`;
  }
  const itemRows = sqlite
    .prepare<unknown[], ItemRow>(
      `SELECT id, key, type, title, parent_key, is_epic, created_at, anticipated_outcome, actual_outcome
         FROM work_item w WHERE ${items} ORDER BY w.id`,
    )
    .all(...params);
  const byId = new Map<number, WorkItem>();
  for (const row of itemRows) byId.set(row.id, toWorkItem(row));
  onItems?.(itemRows.length);
  const transitions = sqlite
    .prepare<unknown[], [number, string, string, number]>(
      `SELECT t.item_id, t.from_status, t.to_status, t.at FROM "transition" t ${rowsOf('t')}`,
    )
    .raw();
  attachTransitions(byId, transitions.iterate(...params));
  for (const item of byId.values()) sortByTime(item.transitions);
  attachFlags(
    byId,
    sqlite
      .prepare<unknown[], FlagRow>(
        `SELECT f.item_id, f.at, f.flag, f.is_set FROM item_flag f ${rowsOf('f')}`,
      )
      .iterate(...params),
  );
  return [...byId.values()];
}

/** Sorts in place by time, and only when needed (one pass when already sorted). */
function sortByTime(transitions: Transition[]): void {
  for (let i = 1; i < transitions.length; i += 1) {
    if (transitions[i].at < transitions[i - 1].at) {
      transitions.sort((a, b) => a.at - b.at);
      return;
    }
  }
}
