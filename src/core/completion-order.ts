/**
 * Ordering by time (ties by key) for 100,000 objects: a comparator sort chases
 * pointers on every comparison, so the times are packed into one Float64Array
 * with each object's position and sorted natively.
 */
import type { Timeline, Window } from './types.ts';

function compareBy<T>(timeOf: (x: T) => number, keyOf: (x: T) => string): (a: T, b: T) => number {
  return (a, b) => {
    const d = timeOf(a) - timeOf(b);
    if (d !== 0) return d;
    const ka = keyOf(a), kb = keyOf(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  };
}

/**
 * A new array of `items` sorted by `timeOf` (epoch ms), ties by `keyOf`.
 * @example
 * sortByTime(durations, (d) => d.end, (d) => d.key); // completion order
 */
export function sortByTime<T>(items: readonly T[], timeOf: (x: T) => number, keyOf: (x: T) => string): T[] {
  const n = items.length;
  if (n < 2) return items.slice();
  let min = Number.POSITIVE_INFINITY, max = Number.NEGATIVE_INFINITY, ordered = true;
  for (let i = 0; i < n; i++) {
    const t = timeOf(items[i]);
    if (t < min) min = t;
    if (t > max) max = t;
    if (i > 0 && ordered && !(timeOf(items[i - 1]) < t)) ordered = false;
  }
  if (ordered) return items.slice();
  const slots = 2 ** Math.ceil(Math.log2(n + 1));
  if (!Number.isInteger(min) || !Number.isInteger(max) || (max - min + 1) * slots > Number.MAX_SAFE_INTEGER) {
    return items.slice().sort(compareBy(timeOf, keyOf));
  }
  // key = (time − min) · slots + position: exact in a double, sorted without a comparator
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = (timeOf(items[i]) - min) * slots + i;
  keys.sort();
  const out = new Array<T>(n);
  for (let i = 0; i < n; i++) out[i] = items[keys[i] % slots];
  // equal times: order by key (rare, short runs)
  for (let i = 1; i < n; i++) {
    if (timeOf(out[i]) !== timeOf(out[i - 1])) continue;
    let j = i;
    while (j + 1 < n && timeOf(out[j + 1]) === timeOf(out[i])) j++;
    const run = out.slice(i - 1, j + 1).sort(compareBy(timeOf, keyOf));
    for (let k = 0; k < run.length; k++) out[i - 1 + k] = run[k];
    i = j;
  }
  return out;
}

/**
 * Timelines completed in `[window.from, window.to)`, sorted by completion, then by item key.
 * @example
 * completedInOrder(timelines, { from: Date.UTC(2026, 0, 1), to: Date.UTC(2026, 3, 1) }).map((t) => t.item.key);
 * // ['A-2', 'A-7', 'A-1']
 */
export function completedInOrder(timelines: readonly Timeline[], window: Window): Timeline[] {
  const done: Timeline[] = [];
  for (const t of timelines) {
    const end = t.completedAt;
    if (end !== null && end >= window.from && end < window.to) done.push(t);
  }
  return sortByTime(done, (t) => t.completedAt!, (t) => t.item.key);
}
