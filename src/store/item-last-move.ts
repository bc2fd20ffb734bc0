/**
 * An item's last move (migration 0017): the time of its latest transition and the status it led
 * to. One rule for every writer (import on both dialects, webhooks, backfill), applied in the
 * transaction that adds the transitions, so the row never disagrees with them.
 */
import type { Transition } from '../core/types.ts';

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
