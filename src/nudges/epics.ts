/**
 * The epics of a stream as the outcome nudges see them: owner, outcomes, and whether the epic
 * has closed (the tracker closed it, or it reached a done stage and stayed there).
 */
import type { Kysely } from 'kysely';
import { buildTimeline, getStageLookup, type StreamMap } from '../core/index.ts';
import type { Database } from '../store/schema.ts';

export interface EpicState {
  key: string;
  title: string;
  createdAt: number;
  source: string;
  owner: string | null;
  anticipatedOutcome: string | null;
  /** the parent OKR / key result the anticipated outcome serves, null when none is named */
  keyResult: string | null;
  actualOutcome: string | null;
  /** when the actual outcome was recorded; null when there is none or its time is unknown */
  actualOutcomeAt: number | null;
  /** when it closed; null while open */
  closedAt: number | null;
}

const blank = (text: string | null): boolean => (text ?? '').trim() === '';

/** True when the epic has no anticipated outcome yet. */
export const missingAnticipated = (epic: EpicState): boolean => blank(epic.anticipatedOutcome);
/** True when a closed epic has no actual outcome yet. */
export const awaitingReview = (epic: EpicState): boolean => epic.closedAt !== null && blank(epic.actualOutcome);

/** The epics of a stream (optionally only some keys), oldest first. */
export async function listEpics(db: Kysely<Database>, streamId: number, map: StreamMap, keys?: readonly string[]): Promise<EpicState[]> {
  let query = db
    .selectFrom('work_item')
    .select(['id', 'key', 'title', 'created_at', 'source', 'outcome_owner', 'anticipated_outcome', 'key_result', 'actual_outcome', 'actual_outcome_at', 'closed_at'])
    .where('stream_id', '=', streamId)
    .where('is_epic', '=', 1)
    .orderBy('created_at')
    .orderBy('id');
  if (keys !== undefined) {
    if (keys.length === 0) return [];
    query = query.where('key', 'in', [...keys]);
  }
  const rows = await query.execute();
  if (rows.length === 0) return [];
  const transitions = await db
    .selectFrom('transition')
    .select(['item_id', 'from_status', 'to_status', 'at'])
    .where('item_id', 'in', rows.map((r) => r.id))
    .execute();
  const byItem = new Map<number, { from: string | null; to: string; at: number }[]>();
  for (const t of transitions) {
    const list = byItem.get(t.item_id) ?? [];
    list.push({ from: t.from_status === '' ? null : t.from_status, to: t.to_status, at: Number(t.at) });
    byItem.set(t.item_id, list);
  }
  const lookup = getStageLookup(map);
  return rows.map((row) => {
    const timeline = buildTimeline(
      { key: row.key, type: 'feature', title: row.title, parentKey: null, isEpic: true, createdAt: Number(row.created_at), transitions: byItem.get(row.id) ?? [] },
      map,
      lookup,
    );
    const closedAt = row.closed_at !== null ? Number(row.closed_at) : timeline.completedAt;
    return {
      key: row.key,
      title: row.title,
      createdAt: Number(row.created_at),
      source: row.source,
      owner: row.outcome_owner,
      anticipatedOutcome: row.anticipated_outcome,
      keyResult: row.key_result !== null && row.key_result.trim() !== '' ? row.key_result : null,
      actualOutcome: row.actual_outcome,
      actualOutcomeAt: row.actual_outcome_at !== null ? Number(row.actual_outcome_at) : null,
      closedAt,
    };
  });
}
