/**
 * The XmR series the signal alert watches, computed at `now` (pure: plain data in and out).
 *
 * - lead time of each finished item (epics left out), in completion order;
 * - weekly throughput, complete ISO weeks only (the week in progress would read low);
 * - WIP sampled once a week, at the end of each complete ISO week. Not daily: WIP today is
 *   WIP yesterday ± a few items, so daily points follow each other closely and the run-of-8
 *   rule would fire on nearly every stream — noise posts. One point a week is far less tied
 *   to its neighbour.
 *
 * Phases split at the stream's logged events, as on the charts.
 */
import {
  buildTimelines,
  dailyWipSeries,
  dateToDayNumber,
  getZoneCalendar,
  isoWeek,
  isoWeekMondayOf,
  isoWeekday,
  leadTimeSeries,
  phaseStartsFor,
  weeklyThroughputSeries,
  xmr,
  type FlowEvent,
  type StreamMap,
  type Timeline,
  type WorkItem,
  type XmrResult,
  type XmrSeries,
} from '../core/index.ts';

export type SignalSeriesKind = 'leadtime' | 'throughput' | 'wip';
export const SIGNAL_SERIES: readonly SignalSeriesKind[] = ['leadtime', 'throughput', 'wip'];

export interface WatchedSeries {
  kind: SignalSeriesKind;
  series: XmrSeries;
  result: XmrResult;
}

/** Points a phase needs before its signals are alerted: the limits rest on them and stop moving. */
export const ALERT_MIN_PHASE_POINTS: Record<SignalSeriesKind, number> = { leadtime: 20, throughput: 12, wip: 12 };

/**
 * WIP at the end of each complete ISO week: the last daily value of each week.
 * @example weeklyWipSeries(timelines, map, window).labels // ['2026-W40', '2026-W41']
 */
export function weeklyWipSeries(input: readonly Timeline[], map: StreamMap, window: { from: number; to: number }): XmrSeries {
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
 * The watched series of a stream at `now`, each with its XmR result phased by the events.
 * @example
 * const [lead] = watchedSeries(items, map, events, now);
 * lead.result.signals; // [{ rule: 'run-of-8', side: 'below', phase: 1, points: [...] }]
 */
export function watchedSeries(items: readonly WorkItem[], map: StreamMap, events: readonly FlowEvent[], now: number): WatchedSeries[] {
  const flowItems = items.filter((item) => !item.isEpic);
  const timelines = buildTimelines(flowItems, map);
  const calendar = getZoneCalendar(map.timeZone);
  let first = now;
  for (const item of flowItems) if (item.createdAt < first) first = item.createdAt;
  const weeksFrom = calendar.startOfDay(isoWeekMondayOf(calendar.dayNumber(first)));
  const thisWeek = calendar.startOfDay(isoWeekMondayOf(calendar.dayNumber(now)));
  const lead = leadTimeSeries(timelines, map, { from: Math.min(first, now), to: now + 1 });
  const weeks = thisWeek > weeksFrom ? { from: weeksFrom, to: thisWeek } : null;
  const through = weeks ? weeklyThroughputSeries(timelines, map, weeks) : { values: [], labels: [], ats: [] };
  const wip = weeks ? weeklyWipSeries(timelines, map, weeks) : { values: [], labels: [], ats: [] };
  const watch = (kind: SignalSeriesKind, series: XmrSeries): WatchedSeries => ({
    kind,
    series,
    result: xmr(series.values, { ...phaseStartsFor(series.ats, events), labels: series.labels, ats: series.ats }),
  });
  return [watch('leadtime', lead), watch('throughput', through), watch('wip', wip)];
}
