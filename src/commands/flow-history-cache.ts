import { historyCacheBytesOf } from '../config/env.ts';
import type { StreamMap } from '../core/types.ts';
import type { Store } from '../store/database.ts';
import { loadStreamHistoryOf, type StreamHistory } from '../store/stream-history.ts';
import { streamVersionOf } from '../store/stream-version.ts';

interface Entry {
  version: string;
  history: StreamHistory;
  /** estimated bytes held (historyBytes) */
  bytes: number;
}

interface Cache {
  entries: Map<number, Entry>;
  /** sum of the entries' bytes */
  bytes: number;
  /** FLOW_NUDGE_HISTORY_CACHE_MB in bytes, read when the store first used the cache */
  maxBytes: number;
}

const MAX_STREAMS_PER_STORE = 8;
const caches = new WeakMap<Store, Cache>();

/**
 * Measured on the 2-core machine (heap after GC, 20k items of 2, 5 and 10 transitions, the
 * history loaded and its flowTimelines built): about 700 bytes per item and 210 per transition.
 */
const ITEM_BYTES = 700;
const TRANSITION_BYTES = 210;
const EVENT_BYTES = 200;

/** What a loaded history (with its timelines) is estimated to hold in memory, in bytes. */
export function historyBytes(history: Pick<StreamHistory, 'items' | 'events'>): number {
  let transitions = 0;
  for (const item of history.items) transitions += item.transitions.length;
  return history.items.length * ITEM_BYTES + transitions * TRANSITION_BYTES + history.events.length * EVENT_BYTES;
}

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
 * built once too. At most 8 streams and FLOW_NUDGE_HISTORY_CACHE_MB (default 128) of estimated
 * history are kept per store; the least recently asked about go first.
 */
export async function loadFlowHistory(store: Store, streamId: number, map: StreamMap): Promise<StreamHistory> {
  let cache = caches.get(store);
  if (!cache) {
    cache = { entries: new Map(), bytes: 0, maxBytes: historyCacheBytesOf(process.env) };
    caches.set(store, cache);
  }
  const version = await versionOf(store, streamId, map);
  const hit = cache.entries.get(streamId);
  if (hit && hit.version === version) {
    cache.entries.delete(streamId);
    cache.entries.set(streamId, hit);
    return hit.history;
  }
  const history = await loadStreamHistoryOf(store, { id: streamId, map });
  forget(cache, streamId);
  const bytes = historyBytes(history);
  // a history larger than the whole bound is answered from, not kept
  if (bytes > cache.maxBytes) return history;
  cache.entries.set(streamId, { version, history, bytes });
  cache.bytes += bytes;
  // least recently used first, until both bounds hold
  while (cache.entries.size > MAX_STREAMS_PER_STORE || cache.bytes > cache.maxBytes) forget(cache, cache.entries.keys().next().value!);
  return history;
}

function forget(cache: Cache, streamId: number): void {
  const entry = cache.entries.get(streamId);
  if (!entry) return;
  cache.entries.delete(streamId);
  cache.bytes -= entry.bytes;
}

/** What the store's cache holds now: the streams, most recently used last, and their estimated bytes. */
export function flowHistoryCacheOf(store: Store): { streamIds: number[]; bytes: number; maxBytes: number } | null {
  const cache = caches.get(store);
  return cache ? { streamIds: [...cache.entries.keys()], bytes: cache.bytes, maxBytes: cache.maxBytes } : null;
}
