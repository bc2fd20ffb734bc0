/**
 * Reading a stream's work items with their transitions, fast enough for a
 * million transitions: one query for the items, one for the transitions,
 * grouped in memory.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import type { Transition, WorkItem } from '../core/types.ts';
import { sqliteHandleOf } from './database.ts';
import { attachFlags, selectStreamFlags, type FlagRow } from './item-flags.ts';
import type { Database } from './schema.ts';
import { attachTransitions, fromFromStatus, toItemType } from './work-item-rows.ts';

/**
 * Every item of a stream with its transitions (sorted by time; a `from` of
 * null is the first status seen) and its flag events (`flags`, only on items that
 * have some). One query for the items, one for the transitions, one for the flags.
 *
 * `since` (epoch ms) keeps only items created or moved at or after it; such
 * an item still comes with its whole history.
 */
export async function loadWorkItems(
  db: Kysely<Database>,
  streamId: number,
  options: { since?: number } = {},
): Promise<WorkItem[]> {
  const since = options.since;
  const sqlite = sqliteHandleOf(db);
  if (sqlite) return loadFromSqlite(sqlite, streamId, since);
  const activeSince = (itemId: unknown) =>
    sql<boolean>`(work_item.created_at >= ${since} or exists (select 1 from "transition" t where t.item_id = ${itemId} and t.at >= ${since}))`;

  let itemQuery = db
    .selectFrom('work_item')
    .select(['id', 'key', 'type', 'title', 'parent_key', 'is_epic', 'created_at', 'anticipated_outcome', 'actual_outcome'])
    .where('stream_id', '=', streamId)
    .orderBy('id');
  if (since !== undefined) itemQuery = itemQuery.where(activeSince(sql.ref('work_item.id')));

  let transitionQuery = db
    .selectFrom('transition')
    .innerJoin('work_item', 'work_item.id', 'transition.item_id')
    .select(['transition.item_id', 'transition.from_status', 'transition.to_status', 'transition.at'])
    .where('work_item.stream_id', '=', streamId)
    .orderBy('transition.item_id')
    .orderBy('transition.at')
    .orderBy('transition.id');
  if (since !== undefined) transitionQuery = transitionQuery.where(activeSince(sql.ref('work_item.id')));

  const [itemRows, transitionRows, flagRows] = await Promise.all([itemQuery.execute(), transitionQuery.execute(), selectStreamFlags(db, streamId)]);
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
function loadFromSqlite(sqlite: BetterSqlite3.Database, streamId: number, since: number | undefined): WorkItem[] {
  const filter =
    since === undefined
      ? ''
      : 'AND (w.created_at >= @since OR EXISTS (SELECT 1 FROM "transition" s WHERE s.item_id = w.id AND s.at >= @since))';
  const params: Record<string, number> = since === undefined ? { streamId } : { streamId, since };
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
      .prepare<{ streamId: number }, FlagRow>(
        `SELECT f.item_id, f.at, f.flag, f.is_set FROM item_flag f JOIN work_item w ON w.id = f.item_id WHERE w.stream_id = @streamId`,
      )
      .iterate({ streamId }),
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
