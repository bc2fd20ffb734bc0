/**
 * The shared shape of lead time and cycle time: one duration per item
 * completed inside a window, in completion order, with percentiles.
 */
import type { DayCounting, DurationReport, ItemDuration, StreamMap, Timeline, Window } from './types.ts';
import { dayNumberToDate, getZoneCalendar } from './local-date.ts';
import { elapsedDays } from './days.ts';
import { percentiles } from './percentiles.ts';
import { assertWindow } from './window.ts';
import { sortByTime } from './completion-order.ts';
import { fullyPausedDays, pausedMs } from './paused-time.ts';

/**
 * Durations from `startOf(timeline)` to completion for the items completed in the window
 * (items whose start is null are left out), sorted by completion.
 * @example
 * durationReport(timelines, map, window, 'calendar', (t) => t.startedAt); // cycle time
 */
export function durationReport(
  timelines: readonly Timeline[],
  map: StreamMap,
  window: Window,
  days: DayCounting,
  startOf: (timeline: Timeline) => number | null,
  /** pause-aware cycle time: the spans left out of each item's duration (src/core/paused-time.ts) */
  pausesOf?: (timeline: Timeline, end: number) => readonly (readonly [number, number])[],
): DurationReport {
  assertWindow(window);
  const calendar = getZoneCalendar(map.timeZone);
  const items: ItemDuration[] = [];
  for (const timeline of timelines) {
    const end = timeline.completedAt;
    if (end === null || end < window.from || end >= window.to) continue;
    const rawStart = startOf(timeline);
    if (rawStart === null) continue;
    const start = Math.min(rawStart, end);
    const startDay = calendar.dayNumber(start);
    const endDay = calendar.dayNumber(end);
    const { item } = timeline;
    const pauses = pausesOf?.(timeline, end) ?? [];
    const paused = pauses.length > 0 ? pausedMs(pauses) : 0;
    const calendarDays = endDay - startDay + 1 - (pauses.length > 0 ? fullyPausedDays(pauses, map.timeZone) : 0);
    items.push({
      key: item.key,
      type: item.type,
      title: item.title,
      start,
      end,
      startDate: dayNumberToDate(startDay),
      endDate: dayNumberToDate(endDay),
      ms: end - start - paused,
      days: days === 'calendar' ? calendarDays : elapsedDays(start, end - paused),
    });
  }
  const sorted = sortByTime(items, (i) => i.end, (i) => i.key);
  return { days, count: sorted.length, percentiles: percentiles(sorted.map((i) => i.days)), items: sorted };
}
