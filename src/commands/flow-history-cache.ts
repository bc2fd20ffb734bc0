import { sql } from 'kysely';
import { buildTimelines } from '../core/timeline.ts';
import type { StreamMap, Timeline, WorkItem } from '../core/types.ts';
import type { Store } from '../store/database.ts';
import { loadWorkItems } from '../store/work-items.ts';

/** A stream's items and the timelines of its flow items (epics left out: they are containers). */
export interface FlowHistory {
  items: WorkItem[];
  timelines: Timeline[];
}

interface Entry {
  version: string;
  history: FlowHistory;
}

const MAX_STREAMS_PER_STORE = 8;
const caches = new WeakMap<Store, Map<number, Entry>>();

/** What changes when the stream's items change: count, newest id, updates, outcomes, and the map. */
async function versionOf(store: Store, streamId: number, map: StreamMap): Promise<string> {
  const row = await store.db
    .selectFrom('work_item')
    .select([
      sql<number>`count(*)`.as('n'),
      sql<number | null>`max(id)`.as('last_id'),
      sql<number | null>`max(updated_at)`.as('last_update'),
      // any item updated (to any time) or given an outcome moves these sums
      sql<number | null>`sum(updated_at % 1000003)`.as('update_sum'),
      sql<number | null>`sum(length(coalesce(anticipated_outcome, '')) + length(coalesce(actual_outcome, '')))`.as('outcome_sum'),
    ])
    .where('stream_id', '=', streamId)
    .executeTakeFirst();
  return `${row?.n}:${row?.last_id}:${row?.last_update}:${row?.update_sum}:${row?.outcome_sum}:${JSON.stringify(map)}`;
}

/**
 * The stream's items with timelines built once, cached per store and stream until an item is
 * added or changed (checked with one small query per call). A team asking several questions in
 * a row reads and parses the history once.
 */
export async function loadFlowHistory(store: Store, streamId: number, map: StreamMap): Promise<FlowHistory> {
  let cache = caches.get(store);
  if (!cache) {
    cache = new Map();
    caches.set(store, cache);
  }
  const version = await versionOf(store, streamId, map);
  const hit = cache.get(streamId);
  if (hit && hit.version === version) {
    cache.delete(streamId);
    cache.set(streamId, hit);
    return hit.history;
  }
  const items = await loadWorkItems(store.db, streamId);
  const history = { items, timelines: buildTimelines(items.filter((i) => !i.isEpic), map) };
  cache.delete(streamId);
  cache.set(streamId, { version, history });
  while (cache.size > MAX_STREAMS_PER_STORE) cache.delete(cache.keys().next().value!);
  return history;
}
