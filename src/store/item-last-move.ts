/**
 * An item's last move (migration 0017): the time of its latest transition and the status it led
 * to. One rule for every writer (import on both dialects, webhooks, backfill), applied in the
 * transaction that adds the transitions, so the row never disagrees with them.
 */
import { sql, type Kysely } from 'kysely';
import type { Transition } from '../core/types.ts';
import type { Database } from './schema.ts';

export interface LastMove {
  /** the latest transition's time; null when the item has none */
  at: number | null;
  /** the status it led to; null when the item has none, or moves at that same instant lead to different statuses */
  status: string | null;
}

export const NO_MOVE: LastMove = Object.freeze({ at: null, status: null });

/**
 * The last move after adding `transitions` to an item whose last move was `current` (duplicates
 * of stored transitions change nothing). Moves at one instant are put in order by their chain
 * (src/core/timeline.ts), not by the row: when they lead to different statuses the status is
 * left null, and a reader treats the item as possibly in progress.
 * @example nextLastMove(NO_MOVE, [{ from: 'To Do', to: 'Done', at: 5 }]) // { at: 5, status: 'Done' }
 */
export function nextLastMove(current: LastMove, transitions: readonly Pick<Transition, 'to' | 'at'>[]): LastMove {
  let { at, status } = current;
  let tied = at !== null && status === null;
  for (const t of transitions) {
    if (at === null || t.at > at) {
      at = t.at;
      status = t.to;
      tied = false;
    } else if (t.at === at && !tied && t.to !== status) {
      status = null;
      tied = true;
    }
  }
  return { at, status };
}

/** Whether two last moves differ (the row needs writing). */
export const lastMoveChanged = (a: LastMove, b: LastMove): boolean => a.at !== b.at || a.status !== b.status;

/** A stored row's last move (bigint columns come back as strings from Postgres). */
export function lastMoveOf(row: { last_moved_at: number | string | null; last_status: string | null }): LastMove {
  return { at: row.last_moved_at === null ? null : Number(row.last_moved_at), status: row.last_status };
}

/** An item whose stored last move is not the one its transitions give. */
export interface LastMoveDifference {
  key: string;
  stored: LastMove;
  fromTransitions: LastMove;
}

/**
 * Recomputes every item's last move of a stream from its stored transitions and lists the items
 * whose row says otherwise (`flow-nudge verify`). Reads the time and status of every transition
 * of the stream in one query (about 100 bytes each held while it runs).
 */
export async function verifyLastMoves(db: Kysely<Database>, streamId: number): Promise<{ items: number; differences: LastMoveDifference[] }> {
  const items = await db.selectFrom('work_item').select(['id', 'key', 'last_moved_at', 'last_status']).where('stream_id', '=', streamId).orderBy('id').execute();
  const transitions = await db
    .selectFrom('transition')
    .innerJoin('work_item', 'work_item.id', 'transition.item_id')
    .select(['transition.item_id', 'transition.to_status', 'transition.at'])
    .where('work_item.stream_id', '=', streamId)
    .orderBy('transition.item_id')
    .execute();
  const computed = new Map<number, LastMove>();
  for (const t of transitions) computed.set(t.item_id, nextLastMove(computed.get(t.item_id) ?? NO_MOVE, [{ to: t.to_status, at: Number(t.at) }]));
  const differences: LastMoveDifference[] = [];
  for (const row of items) {
    const stored = lastMoveOf(row);
    const fromTransitions = computed.get(row.id) ?? NO_MOVE;
    if (lastMoveChanged(stored, fromTransitions)) differences.push({ key: row.key, stored, fromTransitions });
  }
  return { items: items.length, differences };
}

/** Writes the last moves the transitions give to the items `verifyLastMoves` found different, in one transaction. */
export async function repairLastMoves(db: Kysely<Database>, streamId: number, differences: readonly LastMoveDifference[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const d of differences) {
      await trx
        .updateTable('work_item')
        .set({ last_moved_at: d.fromTransitions.at, last_status: d.fromTransitions.status })
        .where('stream_id', '=', streamId)
        .where('key', '=', d.key)
        .execute();
    }
  });
}

/**
 * Postgres import: the last move of each item in `moved` after a batch's `rows` were added. One
 * select of the stored ones, one update per `chunk` of those that changed.
 */
export async function updateLastMovesPg(
  trx: Kysely<Database>,
  moved: ReadonlySet<number>,
  rows: readonly { item_id: number; to_status: string; at: number }[],
  chunk: number,
): Promise<void> {
  if (moved.size === 0) return;
  const ids = [...moved];
  const stored = await trx.selectFrom('work_item').select(['id', 'last_moved_at', 'last_status']).where('id', '=', sql<number>`any(${ids}::integer[])`).execute();
  const next = new Map<number, LastMove>(stored.map((row) => [row.id, lastMoveOf(row)]));
  const before = new Map(next);
  for (const row of rows) {
    const current = next.get(row.item_id);
    if (current) next.set(row.item_id, nextLastMove(current, [{ to: row.to_status, at: row.at }]));
  }
  const changed = ids.filter((id) => lastMoveChanged(before.get(id)!, next.get(id)!));
  for (let i = 0; i < changed.length; i += chunk) {
    const part = changed.slice(i, i + chunk);
    await sql`
      UPDATE work_item SET last_moved_at = m.at, last_status = m.status
        FROM unnest(${part}::integer[], ${part.map((id) => next.get(id)!.at)}::bigint[], ${part.map((id) => next.get(id)!.status)}::text[]) AS m(id, at, status)
       WHERE work_item.id = m.id`.execute(trx);
  }
}
