/**
 * The work item repository: items of a value stream with their status
 * history. Bulk import lives in ./work-item-import.ts and is re-exported here.
 */
import { sql, type Kysely } from 'kysely';
import type { ItemType, Transition, WorkItem } from '../core/types.ts';
import type BetterSqlite3 from 'better-sqlite3';
import { sqliteHandleOf } from './database.ts';
import type { Database } from './schema.ts';
import { attachTransitions, fromFromStatus, toFromStatus, toItemType } from './work-item-rows.ts';

export { importWorkItems, type ImportOptions, type ImportResult } from './work-item-import.ts';

/** A work item as stored: the core's WorkItem plus what only the bot keeps. */
export interface StoredWorkItem extends WorkItem {
  id: number;
  streamId: number;
  source: string;
  outcomeOwner: string | null;
  anticipatedOutcome: string | null;
  actualOutcome: string | null;
  closedAt: number | null;
  updatedAt: number;
}

/**
 * Every item of a stream with its transitions (sorted by time; a `from` of
 * null is the first status seen). One query for the items, one for the
 * transitions.
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
  const activeSince = (itemId: any) =>
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

  const [itemRows, transitionRows] = await Promise.all([itemQuery.execute(), transitionQuery.execute()]);
  const byId = new Map<number, WorkItem>();
  for (const row of itemRows) byId.set(row.id, toWorkItem(row));
  attachTransitions(byId, transitionRows);
  return [...byId.values()];
}

type ItemRow = Pick<
  Database['work_item'],
  'key' | 'type' | 'title' | 'parent_key' | 'is_epic' | 'created_at' | 'anticipated_outcome' | 'actual_outcome'
> & { id: number };

function toWorkItem(row: ItemRow): WorkItem {
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
  return [...byId.values()];
}

/** One item with its transitions, or null when the stream has no item with that key. */
export async function getWorkItem(db: Kysely<Database>, streamId: number, key: string): Promise<StoredWorkItem | null> {
  const row = await db
    .selectFrom('work_item')
    .selectAll()
    .where('stream_id', '=', streamId)
    .where('key', '=', key)
    .executeTakeFirst();
  if (!row) return null;
  const transitions = await db
    .selectFrom('transition')
    .select(['item_id', 'from_status', 'to_status', 'at'])
    .where('item_id', '=', row.id)
    .orderBy('at')
    .orderBy('id')
    .execute();
  const item: StoredWorkItem = {
    id: row.id,
    streamId: row.stream_id,
    source: row.source,
    key: row.key,
    type: toItemType(row.type),
    title: row.title,
    parentKey: row.parent_key,
    isEpic: row.is_epic === 1,
    createdAt: Number(row.created_at),
    transitions: [],
    outcomeOwner: row.outcome_owner,
    anticipatedOutcome: row.anticipated_outcome,
    actualOutcome: row.actual_outcome,
    closedAt: row.closed_at === null ? null : Number(row.closed_at),
    updatedAt: Number(row.updated_at),
  };
  attachTransitions(new Map([[row.id, item]]), transitions);
  return item;
}

/** What a webhook knows about an item. Fields left undefined keep what is stored. */
export interface WorkItemFields {
  key: string;
  type: ItemType;
  title: string;
  createdAt: number;
  source: string;
  parentKey?: string | null;
  isEpic?: boolean;
  outcomeOwner?: string | null;
  closedAt?: number | null;
  anticipatedOutcome?: string | null;
  actualOutcome?: string | null;
}

/**
 * Inserts the item, or updates the stored one where a field differs.
 * Idempotent: the same fields twice change nothing the second time.
 * Returns the row id and what happened.
 */
export async function upsertWorkItem(
  db: Kysely<Database>,
  streamId: number,
  fields: WorkItemFields,
  now: number = Date.now(),
): Promise<{ id: number; created: boolean; changed: boolean }> {
  const inserted = await db
    .insertInto('work_item')
    .values({
      stream_id: streamId,
      source: fields.source,
      key: fields.key,
      type: fields.type,
      title: fields.title,
      parent_key: fields.parentKey ?? null,
      is_epic: fields.isEpic ? 1 : 0,
      created_at: fields.createdAt,
      outcome_owner: fields.outcomeOwner ?? null,
      anticipated_outcome: fields.anticipatedOutcome ?? null,
      actual_outcome: fields.actualOutcome ?? null,
      closed_at: fields.closedAt ?? null,
      updated_at: now,
    })
    .onConflict((oc) => oc.columns(['stream_id', 'key']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { id: inserted.id, created: true, changed: true };

  const row = await db
    .selectFrom('work_item')
    .selectAll()
    .where('stream_id', '=', streamId)
    .where('key', '=', fields.key)
    .executeTakeFirstOrThrow();
  const wanted = {
    type: fields.type,
    title: fields.title,
    created_at: fields.createdAt,
    ...(fields.parentKey !== undefined && { parent_key: fields.parentKey }),
    ...(fields.isEpic !== undefined && { is_epic: fields.isEpic ? 1 : 0 }),
    ...(fields.outcomeOwner !== undefined && { outcome_owner: fields.outcomeOwner }),
    ...(fields.closedAt !== undefined && { closed_at: fields.closedAt }),
    ...(fields.anticipatedOutcome !== undefined && { anticipated_outcome: fields.anticipatedOutcome }),
    ...(fields.actualOutcome !== undefined && { actual_outcome: fields.actualOutcome }),
  };
  const changed = Object.entries(wanted).some(([column, value]) => {
    const stored = row[column as keyof typeof row];
    return typeof value === 'number' && stored !== null ? Number(stored) !== value : stored !== value;
  });
  if (changed) await db.updateTable('work_item').set({ ...wanted, updated_at: now }).where('id', '=', row.id).execute();
  return { id: row.id, created: false, changed };
}

/**
 * Adds transitions to a stored item, skipping exact duplicates. Returns how
 * many were new. Throws when the stream has no such item (upsert it first).
 */
export async function addTransitions(
  db: Kysely<Database>,
  streamId: number,
  key: string,
  transitions: readonly Transition[],
  options: { source?: string; now?: number } = {},
): Promise<number> {
  const item = await db
    .selectFrom('work_item')
    .select('id')
    .where('stream_id', '=', streamId)
    .where('key', '=', key)
    .executeTakeFirst();
  if (!item) {
    throw new Error(`Work item ${key} is not stored in stream ${streamId}: call upsertWorkItem for it before adding transitions.`);
  }
  if (transitions.length === 0) return 0;
  const result = await db
    .insertInto('transition')
    .values(
      transitions.map((t) => ({
        item_id: item.id,
        from_status: toFromStatus(t.from),
        to_status: t.to,
        at: t.at,
        source: options.source ?? 'webhook',
      })),
    )
    .onConflict((oc) => oc.columns(['item_id', 'from_status', 'to_status', 'at']).doNothing())
    .executeTakeFirst();
  const added = Number(result.numInsertedOrUpdatedRows ?? 0);
  if (added > 0) {
    await db.updateTable('work_item').set({ updated_at: options.now ?? Date.now() }).where('id', '=', item.id).execute();
  }
  return added;
}

/** Records what an epic should achieve. Returns false when the stream has no item with that key. */
export async function setAnticipatedOutcome(
  db: Kysely<Database>,
  streamId: number,
  key: string,
  text: string | null,
  now: number = Date.now(),
): Promise<boolean> {
  return setOutcome(db, streamId, key, { anticipated_outcome: text, updated_at: now });
}

/** Records what an epic did achieve. Returns false when the stream has no item with that key. */
export async function setActualOutcome(
  db: Kysely<Database>,
  streamId: number,
  key: string,
  text: string | null,
  now: number = Date.now(),
): Promise<boolean> {
  return setOutcome(db, streamId, key, { actual_outcome: text, updated_at: now });
}

async function setOutcome(
  db: Kysely<Database>,
  streamId: number,
  key: string,
  values: { anticipated_outcome?: string | null; actual_outcome?: string | null; updated_at: number },
): Promise<boolean> {
  const result = await db
    .updateTable('work_item')
    .set(values)
    .where('stream_id', '=', streamId)
    .where('key', '=', key)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
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
