/**
 * A full garbage collection between one stream's work and the next. V8 grows its heap lazily
 * while garbage comes fast (each chart render leaves tens of MB of it), so a job that goes
 * through a hundred streams would otherwise end with the heap of its busiest moment. Measured
 * by `npm run bench nudges` (the weekly check-in over 1,000 channels): the peak RSS drops by
 * about a third for ~10% more time.
 *
 * The HTTP edge uses both (src/http/connection-guard.ts): a young-generation collection every
 * few MB of request bodies read, so the copies Node makes of each read are freed while a few MB,
 * not the ~64 MB of them V8 would let pile up; a full one once a surge of shed connections is over.
 *
 * The collections need Node's `--expose-gc`, which the launcher passes (bin/flow-nudge.js,
 * `npm start`); without it (tests, a library user) these are no-ops.
 *
 * The bot also keeps V8 from growing its heap far past what is live (keepHeapNearLive): answers
 * come back to back and each leaves tens of MB of garbage, so by V8's default growth the heap of
 * a bot answering about ten large streams settles at twice or three times what it holds.
 */
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';

type Gc = (options?: { type?: 'major' | 'minor'; execution?: 'sync' | 'async' }) => void;
const gc = (): Gc | undefined => (globalThis as { gc?: Gc }).gc;

/** Runs a full GC when the process was started with --expose-gc; otherwise does nothing. */
export function releaseMemory(): void {
  gc()?.();
}

/**
 * Runs a young-generation GC (a scavenge, about a millisecond) when the process was started with
 * --expose-gc; otherwise does nothing. It frees the memory of short-lived Buffers already dropped.
 */
export function releaseYoungMemory(): void {
  gc()?.({ type: 'minor' });
}

/**
 * How far past the live heap V8 lets a large heap grow before its next full collection: 20% (V8's
 * own factor is 1.1–4 by how fast garbage comes). Measured by `npm run bench scale --only=streams`
 * (10 streams of 100k items, 200 answers back to back): see the figures in the issue 18 notes.
 */
export const HEAP_GROWING_PERCENT = 20;

/**
 * The growth a heap may take before its next full collection however small it is. 20% of a small
 * heap is a few MB: a 90-day window of a million-item history (~60 MB built in a second from a
 * ~35 MB heap) then meets five or six full collections, each marking the whole heap, ~250 ms in
 * all (`npm run bench scale --only=answers --sizes=1M`). With this floor it meets three. A heap
 * past 180 MB (the ten-stream bot's) grows by the 20% alone.
 */
export const HEAP_GROWTH_FLOOR_BYTES = 36 * 2 ** 20;

/** The growing percent for a heap that holds `liveBytes` after a full collection. */
export function heapGrowingPercentFor(liveBytes: number): number {
  const floorPercent = Math.ceil((HEAP_GROWTH_FLOOR_BYTES / Math.max(liveBytes, 1)) * 100);
  return Math.min(100, Math.max(HEAP_GROWING_PERCENT, floorPercent));
}

let heapWatch: PerformanceObserver | undefined;

/**
 * Sets V8's heap growing factor for the rest of the process (the bot calls it at start,
 * src/http/start-bot.ts): 20%, or HEAP_GROWTH_FLOOR_BYTES while that is more, set again after
 * each full collection from what it left live. V8 reads the flag at each full collection, when it
 * sets the next limit; a Node whose V8 lacks the flag ignores it. Nothing else changes: no limit
 * a large history could hit, only collections sooner. Calling it again does nothing more.
 */
export function keepHeapNearLive(): void {
  if (heapWatch) return;
  let percent = heapGrowingPercentFor(getHeapStatistics().used_heap_size);
  setFlagsFromString(`--heap-growing-percent=${percent}`);
  heapWatch = new PerformanceObserver((list) => {
    if (!list.getEntries().some((entry) => ((entry as { detail?: { kind?: number } }).detail)?.kind === constants.NODE_PERFORMANCE_GC_MAJOR)) return;
    const next = heapGrowingPercentFor(getHeapStatistics().used_heap_size);
    if (next === percent) return;
    percent = next;
    setFlagsFromString(`--heap-growing-percent=${percent}`);
  });
  // (a gc observer never keeps a process alive)
  heapWatch.observe({ entryTypes: ['gc'] });
}
