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
 * Phases split at the stream's logged events, as on the charts. Lead time is read on the log
 * scale (geometricXmr): its centre is the geometric mean, its limits exp(log limits), in days.
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
  MR_URL_FACTOR,
  phaseStartsFor,
  weeklyThroughputSeries,
  xmr,
  type FlowEvent,
  type XmrOptions,
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

/**
 * XmR on the log of the values, reported back in the values' own unit (a geometric XmR): the
 * rules run on the logs, the centre is the geometric mean and the limits are exp(log limits).
 * Lead times are right-skewed (many quick items, a few slow ones); on a plain scale the slow
 * ones cross the upper limit and the quick majority makes runs below the mean, both noise. On
 * the log scale the spread is near-symmetric. Points keep their values in days; moving ranges
 * and the mR limits are shown in days (|xᵢ − xᵢ₋₁|, 3.268 × their baseline mean), for reading only.
 * Values under 0.5 are read as 0.5 (a lead time of 0 days has no logarithm).
 * @example
 * const r = geometricXmr([4, 5, 6, 5, 4, 6, 60]);
 * r.phases[0].center; // ≈ 5.34 (exp of the mean log) — r.signals: the 60 is beyond the upper limit
 */
export function geometricXmr(values: readonly number[], options: XmrOptions = {}): XmrResult {
  const logs = values.map((v) => Math.log(Math.max(v, 0.5)));
  const result = xmr(logs, options);
  const points = result.points.map((p) => ({ ...p, value: values[p.index]!, mr: p.mr === null ? null : Math.abs(values[p.index]! - values[p.index - 1]!) }));
  const phases = result.phases.map((phase) => {
    const end = phase.startIndex + phase.baselineCount - 1;
    let sum = 0;
    for (let i = phase.startIndex + 1; i <= end; i++) sum += Math.abs(values[i]! - values[i - 1]!);
    const mrCenter = phase.baselineCount > 1 ? sum / (phase.baselineCount - 1) : 0;
    return { ...phase, center: Math.exp(phase.center), unpl: Math.exp(phase.unpl), lnpl: Math.exp(phase.lnpl), mrCenter, mrUrl: MR_URL_FACTOR * mrCenter };
  });
  return { points, phases, signals: result.signals };
}

/**
 * The XmR result the signal alert reads for one series: lead time on the log scale (see
 * geometricXmr), weekly throughput and WIP as they are. Shared with the simulation.
 */
export function seriesResult(kind: SignalSeriesKind, series: XmrSeries, events: readonly FlowEvent[]): XmrResult {
  const options = { ...phaseStartsFor(series.ats, events), labels: series.labels, ats: series.ats };
  return kind === 'leadtime' ? geometricXmr(series.values, options) : xmr(series.values, options);
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
  const watch = (kind: SignalSeriesKind, series: XmrSeries): WatchedSeries => ({ kind, series, result: seriesResult(kind, series, events) });
  return [watch('leadtime', lead), watch('throughput', through), watch('wip', wip)];
}
