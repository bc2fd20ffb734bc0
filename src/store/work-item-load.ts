/**
 * Reading a stream's work items with their transitions, fast enough for a
 * million transitions: one query for the items, each with its transitions
 * as one JSON text (movesColumn), and one for their flags.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import type { StreamMap, WorkItem } from '../core/types.ts';
import { sqliteHandleOf } from './database.ts';
import { dialectOf } from './migrations/dialect-of.ts';
import { attachFlags, type FlagRow } from './item-flags.ts';
import type { Database } from './schema.ts';
import { statusInterner, toItemType, transitionsOf } from './work-item-rows.ts';

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
  options: { matterFrom?: MatterFrom; /** told how many items were read so far, as they are read and before the last is built */ onItems?: (count: number) => void } = {},
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

/**
 * The column of an item's transitions in a read of `work_item`: one JSON text of
 * [from_status, to_status, at] triples in (at, id) order, built by the database from the
 * transitions' (item_id, …) index (null or `[]` when there are none; transitionsOf reads it).
 * One row per item instead of one per move: a 90-day window at 1M items is 28k rows, not 28k and
 * 218k, and every move at one instant comes back in the order it was stored on both databases.
 */
export function movesColumn(db: Kysely<Database>) {
  return dialectOf(db) === 'sqlite'
    ? sql<string | null>`(SELECT json_group_array(json_array(t.from_status, t.to_status, t."at") ORDER BY t."at", t.id) FROM "transition" t WHERE t.item_id = "work_item".id)`
    : sql<string | null>`(SELECT json_agg(json_build_array(t.from_status, t.to_status, t."at") ORDER BY t."at", t.id)::text FROM "transition" t WHERE t.item_id = "work_item".id)`;
}

/**
 * The stream's items (or only the `kept` ids, which are the stream's) with their transitions and
 * flags: one query for the items with their moves (movesColumn), one for the flags.
 */
async function loadItemsOf(db: Kysely<Database>, streamId: number, kept: KeptIds | undefined, onItems?: (count: number) => void): Promise<WorkItem[]> {
  let itemQuery = db
    .selectFrom('work_item')
    .select(['id', 'key', 'type', 'title', 'parent_key', 'is_epic', 'created_at', 'anticipated_outcome', 'actual_outcome', movesColumn(db).as('moves')]);
  // the kept ids alone when given: with the stream's index as well, SQLite may walk all its items
  itemQuery = kept ? itemQuery.where('id', 'in', kept) : itemQuery.where('stream_id', '=', streamId);
  const flagQuery = db
    .selectFrom('item_flag')
    .select(['item_id', 'at', 'flag', 'is_set'])
    .where('item_id', 'in', kept ?? db.selectFrom('work_item').select('id').where('stream_id', '=', streamId))
    .orderBy('item_id')
    .orderBy('at');
  const status = statusInterner();
  const byId = new Map<number, WorkItem>();
  let inIdOrder = true;
  let lastId = -Infinity;
  const add = (row: ItemRow & { id: number }) => {
    if (row.id < lastId) inIdOrder = false;
    lastId = row.id;
    byId.set(row.id, toWorkItem(row, status));
  };
  const sqlite = sqliteHandleOf(db);
  let flagRows: FlagRow[];
  if (sqlite) {
    // SQLite: each row built as it is stepped to, so a row's JSON text is garbage at once (a
    // 90-day window of a 100k-item stream holds ~14 MB of it); the count told as it grows
    const compiled = itemQuery.compile();
    for (const row of sqlite.prepare<unknown[], ItemRow & { id: number }>(compiled.sql).iterate(...compiled.parameters)) {
      add(row);
      if (byId.size % TELL_EVERY === 0) onItems?.(byId.size);
    }
    onItems?.(byId.size);
    flagRows = await flagQuery.execute();
  } else {
    // Postgres reads the items in two halves at once (by id parity), so it builds their moves on
    // two cores: a 90-day window at 1M items in ~300 ms instead of ~400
    const halves = dialectOf(db) === 'postgres' ? [0, 1].map((half) => itemQuery.where(sql<number>`"work_item".id % 2`, '=', half)) : [itemQuery];
    const [flags, ...parts] = await Promise.all([flagQuery.execute(), ...halves.map((half) => half.execute())]);
    flagRows = flags;
    onItems?.(parts.reduce((n, rows) => n + rows.length, 0));
    for (const rows of parts) for (const row of rows) add(row);
  }
  attachFlags(byId, flagRows);
  // in id order, sorted here, not by ORDER BY: that would sort the rows with their moves (on
  // Postgres past work_mem, on disk: ~100 ms at 1M items)
  return inIdOrder ? [...byId.values()] : [...byId].sort((a, b) => a[0] - b[0]).map(([, item]) => item);
}

/** How many rows a SQLite read steps between telling its count (onItems). */
const TELL_EVERY = 1_000;

type ItemRow = Pick<
  Database['work_item'],
  'key' | 'type' | 'title' | 'parent_key' | 'is_epic' | 'created_at' | 'anticipated_outcome' | 'actual_outcome'
> & { moves: string | null };

/** A work_item row read with its moves (movesColumn) as a WorkItem; `status` gives one string per status of a read. */
export function toWorkItem(row: ItemRow, status: (status: string) => string): WorkItem {
  return {
    key: row.key,
    type: toItemType(row.type),
    title: row.title,
    parentKey: row.parent_key,
    isEpic: row.is_epic === 1,
    createdAt: Number(row.created_at),
    transitions: transitionsOf(row.moves, status),
    anticipatedOutcome: row.anticipated_outcome,
    actualOutcome: row.actual_outcome,
  };
}
