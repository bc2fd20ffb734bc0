/**
 * Reading a stream's work items with their transitions, fast enough for a
 * million transitions: one query for the items, one for the transitions,
 * grouped in memory.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { ExpressionBuilder, Kysely } from 'kysely';
import type { StreamMap, Transition, WorkItem } from '../core/types.ts';
import { sqliteHandleOf } from './database.ts';
import { attachFlags, selectStreamFlags, type FlagRow } from './item-flags.ts';
import type { Database } from './schema.ts';
import { attachTransitions, fromFromStatus, toItemType } from './work-item-rows.ts';

/**
 * Which items a windowed read needs (`matterFrom`): all but those whose last move (migration
 * 0017) was into a done status of the map before `at`. Those sat done and unchanged through
 * the whole window, so nothing measured over it can count them; every other item comes with
 * its whole history. A status the map writes differently (case, spaces) only costs a row more.
 */
export interface MatterFrom {
  at: number;
  map: StreamMap;
}

const doneStatusesOf = (map: StreamMap): string[] => map.stages.filter((s) => s.kind === 'done').flatMap((s) => s.statuses);

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
  options: { matterFrom?: MatterFrom } = {},
): Promise<WorkItem[]> {
  const { matterFrom } = options;
  const sqlite = sqliteHandleOf(db);
  if (sqlite) return loadFromSqlite(sqlite, streamId, matterFrom);
  const matters = (eb: ExpressionBuilder<Database, 'work_item'>) => {
    const done = doneStatusesOf(matterFrom!.map);
    return eb.or([
      eb('work_item.last_moved_at', 'is', null),
      eb('work_item.last_moved_at', '>=', matterFrom!.at),
      eb('work_item.last_status', 'is', null),
      ...(done.length > 0 ? [eb('work_item.last_status', 'not in', done)] : [eb.lit(true)]),
    ]);
  };

  let itemQuery = db
    .selectFrom('work_item')
    .select(['id', 'key', 'type', 'title', 'parent_key', 'is_epic', 'created_at', 'anticipated_outcome', 'actual_outcome'])
    .where('stream_id', '=', streamId)
    .orderBy('id');
  if (matterFrom) itemQuery = itemQuery.where(matters);

  let transitionQuery = db
    .selectFrom('transition')
    .innerJoin('work_item', 'work_item.id', 'transition.item_id')
    .select(['transition.item_id', 'transition.from_status', 'transition.to_status', 'transition.at'])
    .where('work_item.stream_id', '=', streamId)
    .orderBy('transition.item_id')
    .orderBy('transition.at')
    .orderBy('transition.id');
  if (matterFrom) transitionQuery = transitionQuery.where(matters);

  const [itemRows, transitionRows, flagRows] = await Promise.all([itemQuery.execute(), transitionQuery.execute(), selectStreamFlags(db, streamId, matterFrom ? matters : undefined)]);
  const byId = new Map<number, WorkItem>();
  for (const row of itemRows) byId.set(row.id, toWorkItem(row));
  attachTransitions(byId, transitionRows);
  attachFlags(byId, flagRows);
  return [...byId.values()];
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
function loadFromSqlite(sqlite: BetterSqlite3.Database, streamId: number, matterFrom: MatterFrom | undefined): WorkItem[] {
  const filter =
    matterFrom === undefined
      ? ''
      : 'AND (w.last_moved_at IS NULL OR w.last_moved_at >= @from OR w.last_status IS NULL OR w.last_status NOT IN (SELECT value FROM json_each(@done)))';
  const params: Record<string, number | string> =
    matterFrom === undefined ? { streamId } : { streamId, from: matterFrom.at, done: JSON.stringify(doneStatusesOf(matterFrom.map)) };
  const itemRows = sqlite
    .prepare<typeof params, ItemRow>(
      `SELECT id, key, type, title, parent_key, is_epic, created_at, anticipated_outcome, actual_outcome
         FROM work_item w WHERE w.stream_id = @streamId ${filter} ORDER BY w.id`,
    )
    .all(params);
  const byId = new Map<number, WorkItem>();
  for (const row of itemRows) byId.set(row.id, toWorkItem(row));
  const transitions = sqlite
    .prepare<typeof params, [number, string, string, number]>(
      `SELECT t.item_id, t.from_status, t.to_status, t.at FROM "transition" t JOIN work_item w ON w.id = t.item_id
        WHERE w.stream_id = @streamId ${filter}`,
    )
    .raw();
  let current: WorkItem | undefined;
  let currentId = -1;
  for (const [itemId, from, to, at] of transitions.iterate(params)) {
    if (itemId !== currentId) {
      current = byId.get(itemId);
      currentId = itemId;
    }
    current?.transitions.push({ from: fromFromStatus(from), to, at });
  }
  for (const item of byId.values()) sortByTime(item.transitions);
  attachFlags(
    byId,
    sqlite
      .prepare<typeof params, FlagRow>(
        `SELECT f.item_id, f.at, f.flag, f.is_set FROM item_flag f JOIN work_item w ON w.id = f.item_id WHERE w.stream_id = @streamId ${filter}`,
      )
      .iterate(params),
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
