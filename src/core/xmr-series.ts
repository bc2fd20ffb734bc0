/**
 * The series an XmR chart is drawn from: lead or cycle time of each completed
 * item in completion order, weekly throughput, daily WIP; and the phase starts
 * that logged events give them.
 */
import type { DayCounting, FlowEvent, StreamMap, WeekCount, Window } from './types.ts';
import { dateToDayNumber, getZoneCalendar, isoWeek, isoWeekday } from './local-date.ts';
import { cycleTime } from './cycle-time.ts';
import { leadTime } from './lead-time.ts';
import { throughput } from './throughput.ts';
import { toTimelines, type FlowInput } from './timeline.ts';
import { wip } from './wip.ts';
import { completeIsoWeeks } from './window.ts';

/** Values with what each one is (item key, ISO week, date) and when (epoch ms). */
export interface XmrSeries {
  values: number[];
  labels: string[];
  ats: number[];
}

/**
 * Lead time (days) of each item completed in the window, in completion order; labels are item keys, ats completions.
 * @example
 * leadTimeSeries(items, map, window); // { values: [4, 9, 2], labels: ['A-1', 'A-3', 'A-2'], ats: [...] }
 */
export function leadTimeSeries(input: FlowInput, map: StreamMap, window: Window, days: DayCounting = 'calendar'): XmrSeries {
  const report = leadTime(input, map, window, days);
  return { values: report.items.map((i) => i.days), labels: report.items.map((i) => i.key), ats: report.items.map((i) => i.end) };
}

/**
 * Cycle time (days) of each started item completed in the window, in completion order.
 * @example
 * cycleTimeSeries(items, map, window).labels; // ['A-1', 'A-3']
 */
export function cycleTimeSeries(input: FlowInput, map: StreamMap, window: Window, days: DayCounting = 'calendar'): XmrSeries {
  const report = cycleTime(input, map, window, days);
  return { values: report.items.map((i) => i.days), labels: report.items.map((i) => i.key), ats: report.items.map((i) => i.end) };
}

/**
 * Completions per whole ISO week of the window (zero-filled; a week the window cuts or the week
 * in progress would read low, see completeIsoWeeks); labels are weeks, ats the local midnight
 * starting each Monday.
 * @example
 * weeklyThroughputSeries(items, map, window); // { values: [3, 0, 5], labels: ['2026-W06', '2026-W07', '2026-W08'], ats: [...] }
 */
export function weeklyThroughputSeries(input: FlowInput, map: StreamMap, window: Window): XmrSeries {
  const weeks = throughput(toTimelines(input, map), map, completeIsoWeeks(window, getZoneCalendar(map.timeZone))).perWeek;
  return weeklySeriesOf(weeks, map.timeZone);
}

/** A throughput report's weeks as an XmR series (for a caller that already has the report). */
export function weeklySeriesOf(weeks: readonly WeekCount[], timeZone: string): XmrSeries {
  const calendar = getZoneCalendar(timeZone);
  return {
    values: weeks.map((w) => w.count),
    labels: weeks.map((w) => w.week),
    ats: weeks.map((w) => calendar.startOfDay(dateToDayNumber(w.start))),
  };
}

/**
 * WIP at the end of each local day of the window; labels are dates, ats the local midnight starting each day.
 * @example
 * dailyWipSeries(items, map, window); // { values: [4, 5, 5], labels: ['2026-02-09', '2026-02-10', '2026-02-11'], ats: [...] }
 */
export function dailyWipSeries(input: FlowInput, map: StreamMap, window: Window): XmrSeries {
  const calendar = getZoneCalendar(map.timeZone);
  const days = wip(input, map, window);
  return {
    values: days.map((d) => d.count),
    labels: days.map((d) => d.date),
    ats: days.map((d) => calendar.startOfDay(dateToDayNumber(d.date))),
  };
}

/**
 * WIP at the end of each complete ISO week of the window: the last daily value of each week
 * (Sunday's); labels are ISO weeks, ats the local midnight after that Sunday. Daily WIP follows
 * itself too closely for the run rules (today's WIP is yesterday's ± a few items); one point a
 * week is far less tied to its neighbour.
 * @example weeklyWipSeries(timelines, map, window).labels // ['2026-W40', '2026-W41']
 */
export function weeklyWipSeries(input: FlowInput, map: StreamMap, window: Window): XmrSeries {
  const daily = dailyWipSeries(input, map, window);
  const calendar = getZoneCalendar(map.timeZone);
  const out: XmrSeries = { values: [], labels: [], ats: [] };
  for (let i = 0; i < daily.labels.length; i++) {
    const day = dateToDayNumber(daily.labels[i]!);
    if (isoWeekday(day) !== 7) continue;
    out.values.push(daily.values[i]!);
    out.labels.push(isoWeek(daily.labels[i]!));
    out.ats.push(calendar.startOfDay(day + 1));
  }
  return out;
}

/**
 * Each event's phase start: the index of the first point at or after it (events after the last point are dropped).
 * The result spreads into `xmr(values, { ...phaseStartsFor(ats, events) })`.
 * @example
 * phaseStartsFor([10, 20, 30], [{ at: 15, text: 'WIP limit 3', kind: 'policy' }]);
 * // { phaseStarts: [1], events: [{ at: 15, text: 'WIP limit 3', kind: 'policy' }] }
 */
export function phaseStartsFor(ats: readonly number[], events: readonly FlowEvent[]): { phaseStarts: number[]; events: FlowEvent[] } {
  const sorted = [...events].sort((a, b) => a.at - b.at);
  const phaseStarts: number[] = [];
  const kept: FlowEvent[] = [];
  for (const event of sorted) {
    let lo = 0, hi = ats.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ats[mid] < event.at) lo = mid + 1;
      else hi = mid;
    }
    if (lo >= ats.length) continue;
    phaseStarts.push(lo);
    kept.push(event);
  }
  return { phaseStarts, events: kept };
}
