import type { StreamMap } from '../core/types.ts';
import type { Store } from '../store/database.ts';
import { loadStreamHistoryOf, type StreamHistory } from '../store/stream-history.ts';
import { streamVersionOf } from '../store/stream-version.ts';

interface Entry {
  version: string;
  history: StreamHistory;
}

const MAX_STREAMS_PER_STORE = 8;
const caches = new WeakMap<Store, Map<number, Entry>>();

/**
 * The stream's version (bumped with every write to its history, src/store/stream-version.ts)
 * and the map the history is built with: one indexed read of the stream row.
 */
async function versionOf(store: Store, streamId: number, map: StreamMap): Promise<string> {
  return `${await streamVersionOf(store.db, streamId)}:${JSON.stringify(map)}`;
}

/**
 * The stream's history (src/store/stream-history.ts), cached per store and stream until an item
 * or event is added or changed (checked with one read of the stream's version per call). A team asking several
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
