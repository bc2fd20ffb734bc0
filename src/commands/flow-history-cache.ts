import { sql } from 'kysely';
import type { StreamMap } from '../core/types.ts';
import type { Store } from '../store/database.ts';
import { loadStreamHistoryOf, type StreamHistory } from '../store/stream-history.ts';

interface Entry {
  version: string;
  history: StreamHistory;
}

const MAX_STREAMS_PER_STORE = 8;
const caches = new WeakMap<Store, Map<number, Entry>>();

/** What changes when the stream's items or events change: counts, newest ids, updates, outcomes, and the map. */
async function versionOf(store: Store, streamId: number, map: StreamMap): Promise<string> {
  const [items, events] = await Promise.all([
    store.db
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
      .executeTakeFirst(),
    store.db
      .selectFrom('flow_event')
      .select([sql<number>`count(*)`.as('n'), sql<number | null>`max(id)`.as('last_id')])
      .where('stream_id', '=', streamId)
      .executeTakeFirst(),
  ]);
  return `${items?.n}:${items?.last_id}:${items?.last_update}:${items?.update_sum}:${items?.outcome_sum}:${events?.n}:${events?.last_id}:${JSON.stringify(map)}`;
}

/**
 * The stream's history (src/store/stream-history.ts), cached per store and stream until an item
 * or event is added or changed (checked with two small queries per call). A team asking several
 * questions in a row reads and parses the history once; `flowTimelines` of the cached history is
 * built once too.
 */
export async function loadFlowHistory(store: Store, streamId: number, map: StreamMap): Promise<StreamHistory> {
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
  const history = await loadStreamHistoryOf(store, { id: streamId, map });
  cache.delete(streamId);
  cache.set(streamId, { version, history });
  while (cache.size > MAX_STREAMS_PER_STORE) cache.delete(cache.keys().next().value!);
  return history;
}
