import { historyCacheBytesOf } from '../config/env.ts';
import type { StreamMap } from '../core/types.ts';
import type { Store } from '../store/database.ts';
import { loadCompactHistoryOf, loadStreamHistoryOf, type StreamHistory } from '../store/stream-history.ts';
import { streamVersionOf } from '../store/stream-version.ts';

interface Entry {
  version: string;
  history: StreamHistory;
  /** estimated bytes held (historyBytes) */
  bytes: number;
}

interface Cache {
  /** by stream id and kind: `7:all` for a whole history, `7:window` for a windowed one, `7:compact` for a compact one */
  entries: Map<string, Entry>;
  /** sum of the entries' bytes */
  bytes: number;
  /** FLOW_NUDGE_HISTORY_CACHE_MB in bytes, read when the store first used the cache */
  maxBytes: number;
  /** each key's bytes when it was last loaded, kept after it goes: the room its next load needs */
  lastBytes: Map<string, number>;
}

/** whole, windowed and compact histories together */
const MAX_ENTRIES_PER_STORE = 16;
const DAY_MS = 86_400_000;
const caches = new WeakMap<Store, Cache>();

/**
 * Measured on the 2-core machine (heap after GC, 20k items of 2, 5 and 10 transitions, the
 * history loaded and its flowTimelines built, least squares): about 700 bytes per item and 160
 * per transition since a read keeps one string per status (210 before). The demo's streams hold
 * less (1.2–1.8 KB an item of 8.4 transitions against 2.1 KB estimated): the bound errs high.
 */
const ITEM_BYTES = 700;
const TRANSITION_BYTES = 170;
const EVENT_BYTES = 200;
/** transitions per item assumed to make room before a history's first read (the demo's shape: 8.4) */
const TYPICAL_TRANSITIONS = 8;
/** the same measure of a compact history, per item with its compact timeline (100k items of the demo's shape: 722) */
const COMPACT_ITEM_BYTES = 750;

function compactBytes(items: number, events: number): number {
  return items * COMPACT_ITEM_BYTES + events * EVENT_BYTES;
}

/** What a loaded history (with its timelines) is estimated to hold in memory, in bytes. */
export function historyBytes(history: Pick<StreamHistory, 'items' | 'events' | 'compact'>): number {
  if (history.compact) return compactBytes(history.items.length, history.events.length);
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
 * built once too. At most FLOW_NUDGE_HISTORY_CACHE_MB (default 128) of estimated history are kept
 * per store; the least recently asked about go first.
 *
 * With `from`, a windowed history is enough (the caller measures only from then on): the whole
 * history when it is cached and current, else the items that can matter from the start of that
 * UTC day, kept as the stream's windowed entry and reused for any later `from`.
 *
 * With `compact` (and no `from`), a compact history is enough (loadCompactHistoryOf: the whole
 * history read in chunks, a fraction of the memory): the whole history when cached and current,
 * else the stream's compact entry.
 */
export async function loadFlowHistory(
  store: Store,
  streamId: number,
  map: StreamMap,
  options: { from?: number; compact?: boolean; /** a windowed read counts its left-out items alongside (leftOutOf) */ leftOut?: boolean } = {},
): Promise<StreamHistory> {
  let cache = caches.get(store);
  if (!cache) {
    cache = { entries: new Map(), bytes: 0, maxBytes: historyCacheBytesOf(process.env), lastBytes: new Map() };
    caches.set(store, cache);
  }
  const version = await versionOf(store, streamId, map);
  const whole = `${streamId}:all`;
  const windowed = `${streamId}:window`;
  const compactKey = `${streamId}:compact`;
  const from = options.from;
  const compact = from === undefined && options.compact === true;
  const serves = (key: string) => {
    const hit = cache.entries.get(key);
    if (!hit || hit.version !== version) return null;
    if (hit.history.from !== undefined && (from === undefined || hit.history.from > from)) return null;
    cache.entries.delete(key);
    cache.entries.set(key, hit);
    return hit.history;
  };
  const cached = serves(whole) ?? (from !== undefined ? serves(windowed) : compact ? serves(compactKey) : null);
  if (cached) return cached;
  // what an earlier version left is of no more use
  for (const stale of [whole, windowed, compactKey]) if (cache.entries.get(stale)?.version !== version) forget(cache, stale);
  const key = compact ? compactKey : from === undefined ? whole : windowed;
  const stream = { id: streamId, map };
  // Room is made before the history is built, not after: the least recently used go first, so the
  // cache and the history being read hold little more than the bound together. A compact read knows
  // its size once it has the item ids; the others as their rows are read (on SQLite, every 1,000
  // items; transitions estimated as the demo's, unless this key was read before: then its last size).
  forget(cache, key);
  const remembered = cache.lastBytes.get(key);
  if (remembered !== undefined) makeRoom(cache, remembered);
  const history = compact
    ? await loadCompactHistoryOf(store, stream, { onSize: (items, events) => makeRoom(cache, compactBytes(items, events)) })
    : await loadStreamHistoryOf(store, stream, {
        ...(from !== undefined && { from: Math.floor(from / DAY_MS) * DAY_MS, leftOut: options.leftOut === true }),
        onItems: (items) => makeRoom(cache, remembered ?? items * (ITEM_BYTES + TYPICAL_TRANSITIONS * TRANSITION_BYTES)),
      });
  forget(cache, key);
  const bytes = historyBytes(history);
  cache.lastBytes.set(key, bytes);
  // a history larger than the whole bound is answered from, not kept
  if (bytes > cache.maxBytes) return history;
  cache.entries.set(key, { version, history, bytes });
  cache.bytes += bytes;
  // least recently used first, until both bounds hold
  while (cache.entries.size > MAX_ENTRIES_PER_STORE || cache.bytes > cache.maxBytes) forget(cache, cache.entries.keys().next().value!);
  return history;
}

/** Forgets the least recently used entries until `bytes` more would fit (nothing when `bytes` alone is over the bound: it will not be kept). */
function makeRoom(cache: Cache, bytes: number): void {
  if (bytes > cache.maxBytes) return;
  while (cache.entries.size > 0 && cache.bytes + bytes > cache.maxBytes) forget(cache, cache.entries.keys().next().value!);
}

function forget(cache: Cache, key: string): void {
  const entry = cache.entries.get(key);
  if (!entry) return;
  cache.entries.delete(key);
  cache.bytes -= entry.bytes;
}

/**
 * What the store's cache holds now: the streams (a stream with a whole and a windowed history
 * once), most recently used last, and their estimated bytes.
 */
export function flowHistoryCacheOf(store: Store): { streamIds: number[]; bytes: number; maxBytes: number } | null {
  const cache = caches.get(store);
  if (!cache) return null;
  const streamIds: number[] = [];
  for (const key of cache.entries.keys()) {
    const id = Number(key.slice(0, key.indexOf(':')));
    const at = streamIds.indexOf(id);
    if (at >= 0) streamIds.splice(at, 1);
    streamIds.push(id);
  }
  return { streamIds, bytes: cache.bytes, maxBytes: cache.maxBytes };
}
