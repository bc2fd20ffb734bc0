/**
 * The work item repository: items of a value stream with their status
 * history. Bulk import (./work-item-import.ts) and loading
 * (./work-item-load.ts) live in their own files and are re-exported here.
 */
import type { Kysely } from 'kysely';
import type { FlagEvent, ItemType, Transition, WorkItem } from '../core/types.ts';
import { attachFlags, checkFlags, insertFlagEvents } from './item-flags.ts';
import { lastMoveOf, nextLastMove } from './item-last-move.ts';
import type { Database } from './schema.ts';
import { writeStreamHistory } from './stream-version.ts';
import { checkTransitions, statusInterner, toFromStatus } from './work-item-rows.ts';

export { importWorkItems, type ImportOptions, type ImportResult } from './work-item-import.ts';
export { loadWorkItems } from './work-item-load.ts';
import { movesColumn, toWorkItem } from './work-item-load.ts';

/** A work item as stored: the core's WorkItem plus what only the bot keeps. */
export interface StoredWorkItem extends WorkItem {
  id: number;
  streamId: number;
  source: string;
  outcomeOwner: string | null;
  anticipatedOutcome: string | null;
  /** the parent OKR / key result of the anticipated outcome (migration 0012) */
  keyResult: string | null;
  actualOutcome: string | null;
  closedAt: number | null;
  updatedAt: number;
}

/** One item with its transitions, or null when the stream has no item with that key. */
export async function getWorkItem(db: Kysely<Database>, streamId: number, key: string): Promise<StoredWorkItem | null> {
  const row = await db
    .selectFrom('work_item')
    .selectAll()
    .select(movesColumn(db).as('moves'))
    .where('stream_id', '=', streamId)
    .where('key', '=', key)
    .executeTakeFirst();
  if (!row) return null;
  const flags = await db.selectFrom('item_flag').select(['item_id', 'at', 'flag', 'is_set']).where('item_id', '=', row.id).orderBy('at').execute();
  const item: StoredWorkItem = {
    ...toWorkItem(row, statusInterner()),
    id: row.id,
    streamId: row.stream_id,
    source: row.source,
    outcomeOwner: row.outcome_owner,
    anticipatedOutcome: row.anticipated_outcome,
    keyResult: row.key_result,
    actualOutcome: row.actual_outcome,
    closedAt: row.closed_at === null ? null : Number(row.closed_at),
    updatedAt: Number(row.updated_at),
  };
  attachFlags(new Map([[row.id, item]]), flags);
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
 * Returns the row id and what happened. A change bumps the stream's version in the same transaction.
 */
export async function upsertWorkItem(
  db: Kysely<Database>,
  streamId: number,
  fields: WorkItemFields,
  now: number = Date.now(),
): Promise<{ id: number; created: boolean; changed: boolean }> {
  return writeStreamHistory(db, streamId, (trx) => upsertWorkItemIn(trx, streamId, fields, now), (result) => result.changed);
}

async function upsertWorkItemIn(
  db: Kysely<Database>,
  streamId: number,
  fields: WorkItemFields,
  now: number,
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
 * many were new (any bumps the stream's version in the same transaction).
 * Throws when the stream has no such item (upsert it first).
 */
export async function addTransitions(
  db: Kysely<Database>,
  streamId: number,
  key: string,
  transitions: readonly Transition[],
  options: { source?: string; now?: number } = {},
): Promise<number> {
  return writeStreamHistory(db, streamId, (trx) => addTransitionsIn(trx, streamId, key, transitions, options), (added) => added > 0);
}

async function addTransitionsIn(
  db: Kysely<Database>,
  streamId: number,
  key: string,
  transitions: readonly Transition[],
  options: { source?: string; now?: number },
): Promise<number> {
  const item = await db
    .selectFrom('work_item')
    .select(['id', 'last_moved_at', 'last_status'])
    .where('stream_id', '=', streamId)
    .where('key', '=', key)
    .executeTakeFirst();
  if (!item) {
    throw new Error(`Work item ${key} is not stored in stream ${streamId}: call upsertWorkItem for it before adding transitions.`);
  }
  checkTransitions(key, transitions);
  const rows = transitions.map((t) => ({
    item_id: item.id,
    from_status: toFromStatus(t.from),
    to_status: t.to,
    at: t.at,
    source: options.source ?? 'webhook',
  }));
  let added = 0;
  // 1,000 rows × 5 values stays far below the bind-parameter limits of both dialects
  for (let start = 0; start < rows.length; start += 1_000) {
    const result = await db
      .insertInto('transition')
      .values(rows.slice(start, start + 1_000))
      .onConflict((oc) => oc.columns(['item_id', 'from_status', 'to_status', 'at']).doNothing())
      .executeTakeFirst();
    added += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  if (added > 0) {
    const last = nextLastMove(lastMoveOf(item), transitions);
    await db
      .updateTable('work_item')
      .set({ updated_at: options.now ?? Date.now(), last_moved_at: last.at, last_status: last.status })
      .where('id', '=', item.id)
      .execute();
  }
  return added;
}

/**
 * Adds flag events (a flag or label set or cleared) to a stored item, skipping exact duplicates.
 * Returns how many were new (any bumps the stream's version in the same transaction). Throws
 * when the stream has no such item (upsert it first).
 */
export async function addFlagEvents(
  db: Kysely<Database>,
  streamId: number,
  key: string,
  flags: readonly FlagEvent[],
  options: { source?: string; now?: number } = {},
): Promise<number> {
  if (flags.length === 0) return 0;
  return writeStreamHistory(
    db,
    streamId,
    async (trx) => {
      const item = await trx.selectFrom('work_item').select('id').where('stream_id', '=', streamId).where('key', '=', key).executeTakeFirst();
      if (!item) throw new Error(`Work item ${key} is not stored in stream ${streamId}: call upsertWorkItem for it before adding flags.`);
      checkFlags(key, flags);
      const added = await insertFlagEvents(trx, item.id, flags, options.source ?? 'webhook');
      if (added > 0) await trx.updateTable('work_item').set({ updated_at: options.now ?? Date.now() }).where('id', '=', item.id).execute();
      return added;
    },
    (added) => added > 0,
  );
}

/** Records what an epic should achieve, and the key result it serves (none: null). Returns false when the stream has no item with that key. */
export async function setAnticipatedOutcome(
  db: Kysely<Database>,
  streamId: number,
  key: string,
  text: string | null,
  now: number = Date.now(),
  keyResult: string | null = null,
): Promise<boolean> {
  return setOutcome(db, streamId, key, { anticipated_outcome: text, key_result: text === null ? null : keyResult, updated_at: now });
}

/**
 * Records what an epic did achieve, at `now` (time to outcome counts to it). Returns false when
 * the stream has no item with that key.
 */
export async function setActualOutcome(
  db: Kysely<Database>,
  streamId: number,
  key: string,
  text: string | null,
  now: number = Date.now(),
): Promise<boolean> {
  return setOutcome(db, streamId, key, { actual_outcome: text, actual_outcome_at: text === null ? null : now, updated_at: now });
}

async function setOutcome(
  db: Kysely<Database>,
  streamId: number,
  key: string,
  values: { anticipated_outcome?: string | null; key_result?: string | null; actual_outcome?: string | null; actual_outcome_at?: number | null; updated_at: number },
): Promise<boolean> {
  return writeStreamHistory(
    db,
    streamId,
    async (trx) => {
      const result = await trx.updateTable('work_item').set(values).where('stream_id', '=', streamId).where('key', '=', key).executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    (updated) => updated,
  );
}
