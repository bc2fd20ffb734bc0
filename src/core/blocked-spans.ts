/**
 * When an item was blocked: the union of its time in the map's blocked statuses and the
 * intervals a blocked flag was set on it (Jira's Flagged field with `blockedWhenFlagged`, a
 * label listed in `blockedLabels`). Flags and labels the map does not name count for nothing.
 */
import { normalizeStatus } from './stage-lookup.ts';
import type { FlagEvent, StreamMap, Timeline } from './types.ts';

/** The flag name of Jira's Flagged field (set when it becomes Impediment, cleared when emptied). */
export const FLAGGED = 'flagged';

const LABEL_PREFIX = 'label:';

/**
 * The flag name of a tracker label.
 * @example labelFlag('blocked') // 'label:blocked'
 */
export function labelFlag(name: string): string {
  return `${LABEL_PREFIX}${name}`;
}

/** The label a flag stands for, or null for another flag. */
export function labelOfFlag(flag: string): string | null {
  return flag.startsWith(LABEL_PREFIX) ? flag.slice(LABEL_PREFIX.length) : null;
}

/**
 * Whether the map says anything about blocked time (else every blocked metric is zero, and
 * nothing is computed for it).
 * @example hasBlockedSettings({ ...map, blockedLabels: ['blocked'] }) // true
 */
export function hasBlockedSettings(map: StreamMap): boolean {
  return (map.blockedStatuses?.length ?? 0) > 0 || (map.blockedLabels?.length ?? 0) > 0 || map.blockedWhenFlagged === true;
}

/** Which flags mean blocked under a map. */
export function blockedFlagTest(map: StreamMap): (flag: string) => boolean {
  const labels = new Set((map.blockedLabels ?? []).map(normalizeStatus));
  const flagged = map.blockedWhenFlagged === true;
  return (flag) => {
    if (flag === FLAGGED) return flagged;
    const label = labelOfFlag(flag);
    return label !== null && labels.has(normalizeStatus(label));
  };
}

/**
 * The intervals each blocked flag was set, as flat pairs `[start, end, …]` (unsorted across
 * flags; `Infinity` while still set). Events are taken by time; at one instant a clear is applied
 * after a set, so a flag set and cleared in the same millisecond is not set after it. A second
 * set while set, or a clear while not set, changes nothing.
 */
function flagIntervals(flags: readonly FlagEvent[], isBlocked: (flag: string) => boolean): number[] {
  const relevant = flags.filter((f) => isBlocked(f.flag));
  if (relevant.length === 0) return [];
  relevant.sort((a, b) => a.at - b.at || (a.on === b.on ? 0 : a.on ? -1 : 1));
  const since = new Map<string, number>();
  const out: number[] = [];
  for (const f of relevant) {
    const start = since.get(f.flag);
    if (f.on) {
      if (start === undefined) since.set(f.flag, f.at);
    } else if (start !== undefined) {
      if (f.at > start) out.push(start, f.at);
      since.delete(f.flag);
    }
  }
  for (const start of since.values()) out.push(start, Number.POSITIVE_INFINITY);
  return out;
}

/** Sorted, merged union of flat pairs. */
function union(pairs: number[]): number[] {
  if (pairs.length <= 2) return pairs;
  const order: number[] = [];
  for (let i = 0; i < pairs.length; i += 2) order.push(i);
  order.sort((a, b) => pairs[a] - pairs[b]);
  const out: number[] = [];
  for (const i of order) {
    const start = pairs[i], end = pairs[i + 1];
    if (out.length > 0 && start <= out[out.length - 1]) out[out.length - 1] = Math.max(out[out.length - 1], end);
    else out.push(start, end);
  }
  return out;
}

const cache = new WeakMap<Timeline, { map: StreamMap; spans: number[] }>();
const NONE: number[] = [];

/**
 * When an item was blocked, as sorted disjoint flat pairs `[start, end, …]` (end exclusive;
 * `Infinity` while still blocked): the union of its steps in blocked statuses and its blocked
 * flags' intervals. Computed once per timeline and map.
 * @example
 * // flag set at 10, cleared at 20; in the blocked status 'On Hold' from 15 to 30
 * blockedSpans(timeline, { ...map, blockedWhenFlagged: true, blockedStatuses: ['On Hold'] }); // [10, 30]
 */
export function blockedSpans(timeline: Timeline, map: StreamMap): number[] {
  const known = cache.get(timeline);
  if (known && known.map === map) return known.spans;
  let spans = NONE;
  if (hasBlockedSettings(map)) {
    const pairs: number[] = [];
    const statuses = map.blockedStatuses ?? [];
    if (statuses.length > 0) {
      const blocked = new Set(statuses.map(normalizeStatus));
      for (const step of timeline.steps) {
        if (blocked.has(normalizeStatus(step.status))) pairs.push(step.at, step.until ?? Number.POSITIVE_INFINITY);
      }
    }
    const flags = timeline.item.flags;
    if (flags && flags.length > 0) pairs.push(...flagIntervals(flags, blockedFlagTest(map)));
    if (pairs.length > 0) spans = union(pairs);
  }
  cache.set(timeline, { map, spans });
  return spans;
}

/**
 * Blocked ms of `spans` inside [from, to).
 * @example blockedWithin([10, 30], 0, 20) // 10
 */
export function blockedWithin(spans: readonly number[], from: number, to: number): number {
  let sum = 0;
  for (let i = 0; i < spans.length; i += 2) {
    if (spans[i] >= to) break;
    const start = Math.max(spans[i], from);
    const end = Math.min(spans[i + 1], to);
    if (end > start) sum += end - start;
  }
  return sum;
}

/**
 * Whether the item is blocked at an instant.
 * @example isBlockedAt([10, 30], 30) // false (end exclusive)
 */
export function isBlockedAt(spans: readonly number[], at: number): boolean {
  for (let i = 0; i < spans.length; i += 2) if (spans[i] <= at && at < spans[i + 1]) return true;
  return false;
}
