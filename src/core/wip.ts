/**
 * WIP: items started and not completed at the end of each local day
 * (an item that leaves done is in progress again). One sweep over day
 * buckets, no per-day scan of the items.
 */
import type { DayCount, ItemType, StreamMap, Timeline, Window } from './types.ts';
import { ITEM_TYPES } from './types.ts';
import { dayNumberToDate, getZoneCalendar } from './local-date.ts';
import { forEachInProgressInterval, isInProgressAt } from './in-progress.ts';
import { toTimelines, type FlowInput } from './timeline.ts';
import { windowDays } from './window.ts';

/**
 * WIP at the end of each local day of the window, by day index.
 * @example
 * wipPerDayCounts(timelines, map, window); // Int32Array [3, 4, 4, 2, …]
 */
export function wipPerDayCounts(timelines: readonly Timeline[], map: StreamMap, window: Window): Int32Array {
  const calendar = getZoneCalendar(map.timeZone);
  const days = windowDays(window, calendar);
  // delta[i] applies from the end of day index i−1: an instant on day d counts for the end of day d.
  const delta = new Int32Array(days.count + 1);
  const bucket = (at: number): number => {
    if (at === Number.POSITIVE_INFINITY) return days.count;
    const i = calendar.dayNumber(at) - days.first;
    return i < 0 ? 0 : Math.min(i, days.count);
  };
  const add = (start: number, end: number): void => {
    const from = bucket(start);
    const to = bucket(end);
    if (from === to) return;
    delta[from]++;
    delta[to]--;
  };
  for (const t of timelines) forEachInProgressInterval(t, add);
  const out = new Int32Array(days.count);
  let running = 0;
  for (let i = 0; i < days.count; i++) {
    running += delta[i];
    out[i] = running;
  }
  return out;
}

/**
 * Items in progress at the end of each local day of the window.
 * @example
 * wip(items, map, { from: Date.UTC(2026, 1, 9), to: Date.UTC(2026, 1, 12) });
 * // [{ date: '2026-02-09', count: 3 }, { date: '2026-02-10', count: 4 }, { date: '2026-02-11', count: 2 }]
 */
export function wip(input: FlowInput, map: StreamMap, window: Window): DayCount[] {
  const timelines = toTimelines(input, map);
  const days = windowDays(window, getZoneCalendar(map.timeZone));
  const counts = wipPerDayCounts(timelines, map, window);
  return Array.from(counts, (count, i) => ({ date: dayNumberToDate(days.first + i), count }));
}

/**
 * Items in progress at an instant, by type (flow load).
 * @example
 * wipByTypeAt(items, map, Date.UTC(2026, 1, 12)); // { feature: 3, defect: 1, risk: 0, debt: 1 }
 */
export function wipByTypeAt(input: FlowInput, map: StreamMap, at: number): Record<ItemType, number> {
  const out = Object.fromEntries(ITEM_TYPES.map((t) => [t, 0])) as Record<ItemType, number>;
  for (const t of toTimelines(input, map)) {
    // completed at or before `at` and never left done afterwards: not in progress
    if (t.startedAt === null || t.startedAt > at || (t.completedAt !== null && t.completedAt <= at)) continue;
    if (isInProgressAt(t, at)) out[t.item.type]++;
  }
  return out;
}
