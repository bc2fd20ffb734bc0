/** Throughput: completions per local day and per ISO week, zero-filled across the window. */
import type { DayCount, StreamMap, ThroughputReport, Timeline, Window, WeekCount } from './types.ts';
import { dayNumberToDate, getZoneCalendar, isoWeekOf } from './local-date.ts';
import { toTimelines, type FlowInput } from './timeline.ts';
import { windowDays, windowMondays, type WindowDays } from './window.ts';

/**
 * Completions per local day index of the window (index 0 = first day).
 * @example
 * completionsPerDay(timelines, map, window); // Int32Array [0, 2, 1, …]
 */
export function completionsPerDay(timelines: readonly Timeline[], map: StreamMap, window: Window): Int32Array {
  const calendar = getZoneCalendar(map.timeZone);
  const days = windowDays(window, calendar);
  const counts = new Int32Array(days.count);
  for (const t of timelines) {
    const end = t.completedAt;
    if (end === null || end < window.from || end >= window.to) continue;
    counts[calendar.dayNumber(end) - days.first]++;
  }
  return counts;
}

/**
 * Per-day counts (indexed from the window's first day) summed per ISO week, zero-filled.
 * @example
 * countsPerWeek(new Int32Array([1, 0, 2]), days); // [{ week: '2026-W07', start: '2026-02-09', count: 3 }]
 */
export function countsPerWeek(perDay: ArrayLike<number>, days: WindowDays): WeekCount[] {
  return windowMondays(days).map((monday) => {
    let count = 0;
    for (let d = Math.max(monday, days.first); d < monday + 7 && d <= days.last; d++) count += perDay[d - days.first];
    return { week: isoWeekOf(monday), start: dayNumberToDate(monday), count };
  });
}

/**
 * Completions per local day and per ISO week of the stream's time zone, every day and week of the window listed.
 * @example
 * const report = throughput(items, map, { from: Date.UTC(2026, 1, 9), to: Date.UTC(2026, 1, 16) });
 * report.perDay.length; // 7
 * report.perWeek; // [{ week: '2026-W07', start: '2026-02-09', count: report.total }]
 */
export function throughput(input: FlowInput, map: StreamMap, window: Window): ThroughputReport {
  const timelines = toTimelines(input, map);
  const days = windowDays(window, getZoneCalendar(map.timeZone));
  const counts = completionsPerDay(timelines, map, window);
  const perDay: DayCount[] = [];
  let total = 0;
  for (let i = 0; i < days.count; i++) {
    perDay.push({ date: dayNumberToDate(days.first + i), count: counts[i] });
    total += counts[i];
  }
  return { perDay, perWeek: countsPerWeek(counts, days), total };
}
