/**
 * One reading of a stream's XmR charts, the same for the chart, the answer, the weekly check-in
 * and the signal alert: which series, on which scale, from which baseline, and which signals
 * count.
 *
 * - Lead and cycle time are read on the log scale (geometricXmr): centre = geometric mean,
 *   limits exp(log limits), shown in days. `linear` reads the raw days (on request).
 * - Weekly throughput and WIP at the end of each week start with the week of the stream's first
 *   completion: the weeks before are the ramp-up from nothing, not the process, and would give
 *   every later week a signal.
 * - A phase starts at each logged event (a policy change, an experiment, or a `baseline` event
 *   that restarts the limits without a change); its limits come from its first 20 points.
 * - Signals count only in phases whose limits are settled (SETTLED_PHASE_POINTS): before that the
 *   limits still move with every new point.
 */
import type { FlowEvent, StreamMap, Timeline, Window, XmrPhase, XmrResult, XmrRule, XmrSignal } from './types.ts';
import { XMR_RULES } from './types.ts';
import { getZoneCalendar, isoWeekMondayOf } from './local-date.ts';
import { completeIsoWeeks } from './window.ts';
import { MR_URL_FACTOR, rulesOfMask, xmr, type XmrOptions } from './xmr.ts';
import { cycleTimeSeries, leadTimeSeries, phaseStartsFor, weeklyThroughputSeries, weeklyWipSeries, type XmrSeries } from './xmr-series.ts';

export type XmrKind = 'leadtime' | 'cycletime' | 'throughput' | 'wip';
export const XMR_KINDS: readonly XmrKind[] = ['leadtime', 'cycletime', 'throughput', 'wip'];
/** `log`: durations read on the log scale (the default for lead and cycle time); `linear`: the raw values. */
export type XmrScale = 'log' | 'linear';
export const XMR_SCALES: readonly XmrScale[] = ['log', 'linear'];

/** Points a phase needs before its signals count: its limits rest on them and stop moving. */
export const SETTLED_PHASE_POINTS: Record<XmrKind, number> = { leadtime: 20, cycletime: 20, throughput: 12, wip: 12 };

/** The event kind that restarts the limits without a change of policy. */
export const BASELINE_EVENT_KIND = 'baseline';
/** The kinds of logged event the bot words (any other kind is kept as a label); each starts a new XmR phase. */
export const FLOW_EVENT_KINDS = ['policy', 'experiment', 'note', BASELINE_EVENT_KIND] as const;

/** Lead and cycle time are read on the log scale; counts as they are. */
export function defaultXmrScale(kind: XmrKind): XmrScale {
  return kind === 'leadtime' || kind === 'cycletime' ? 'log' : 'linear';
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
  // the points are this call's own (xmr made them): back to days in place, not copied
  const points = result.points;
  for (const p of points) {
    p.value = values[p.index]!;
    if (p.mr !== null) p.mr = Math.abs(values[p.index]! - values[p.index - 1]!);
  }
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
 * The same result with only `signals` kept, and each point's rules those of the kept signals
 * (what a chart marks). Phases and values are unchanged.
 * @example withSignals(result, result.signals.filter((s) => s.phase === 1)).points.filter((p) => p.rules.length > 0)
 */
export function withSignals(result: XmrResult, signals: readonly XmrSignal[]): XmrResult {
  // bit r set when the point takes part in one of `signals` of rule XMR_RULES[r]
  let size = 0;
  for (const p of result.points) size = Math.max(size, p.index + 1);
  const marks = new Uint8Array(size);
  for (const s of signals) {
    const bit = 1 << XMR_RULES.indexOf(s.rule);
    for (const i of s.points) marks[i] = marks[i]! | bit;
  }
  return {
    phases: result.phases,
    signals: [...signals],
    // a point whose rules stay is the same point: a whole history's points are not copied
    points: result.points.map((p) => {
      const rules = rulesOfMask(marks[p.index]!);
      return rules === p.rules || sameRules(rules, p.rules) ? p : { ...p, rules };
    }),
  };
}

function sameRules(a: readonly XmrRule[], b: readonly XmrRule[]): boolean {
  return a.length === b.length && a.every((rule, i) => b[i] === rule);
}

/** The phase the latest point is in: it may have no limits yet (under 6 points) or unsettled ones. */
export interface CurrentPhase {
  /** the phase number (XmrPoint.phase) */
  index: number;
  /** the event that opened it (null for the stream's first phase) */
  event: FlowEvent | null;
  /** its points in the whole reading (a cut to a period may show fewer) */
  points: number;
  /** its limits, null while it has fewer than 6 points */
  limits: XmrPhase | null;
  /** whether its signals count (SETTLED_PHASE_POINTS) */
  settled: boolean;
}

/** One XmR reading of a series: the result (signals of settled phases only) and how it was read. */
export interface XmrReading {
  kind: XmrKind;
  scale: XmrScale;
  series: XmrSeries;
  /** phased at the events; its signals, and the rules marked on its points, are those of settled phases only */
  result: XmrResult;
  /** the phases (by index) whose limits are settled */
  settled: Set<number>;
  /** the phase of the latest point, null without points */
  current: CurrentPhase | null;
}

/**
 * Reads a series on its XmR chart: phased at the events, on the kind's scale, signals of settled phases only.
 * @example
 * const r = readXmr('leadtime', leadTimeSeries(timelines, map, window), events);
 * r.result.phases.at(-1)?.center; // the geometric mean of the current phase's baseline, in days
 */
export function readXmr(kind: XmrKind, series: XmrSeries, events: readonly FlowEvent[], scale: XmrScale = defaultXmrScale(kind)): XmrReading {
  const starts = phaseStartsFor(series.ats, events);
  const options = { ...starts, labels: series.labels, ats: series.ats };
  const raw = scale === 'log' ? geometricXmr(series.values, options) : xmr(series.values, options);
  const settled = new Set(raw.phases.filter((p) => p.endIndex - p.startIndex + 1 >= SETTLED_PHASE_POINTS[kind]).map((p) => p.index));
  const result = withSignals(raw, raw.signals.filter((s) => settled.has(s.phase)));
  const last = raw.points.at(-1);
  let current: CurrentPhase | null = null;
  if (last) {
    const startIndex = raw.points.findIndex((p) => p.phase === last.phase);
    // the first event starting at that point opened the phase (as xmr phases them)
    const event = startIndex === 0 ? null : (starts.events[starts.phaseStarts.indexOf(startIndex)] ?? null);
    const limits = raw.phases.find((p) => p.index === last.phase) ?? null;
    current = { index: last.phase, event, points: raw.points.length - startIndex, limits, settled: settled.has(last.phase) };
  }
  return { kind, scale, series, result, settled, current };
}

/** The stream's first completion (epoch ms), or null when nothing has finished yet. */
export function firstCompletionOf(timelines: readonly Timeline[]): number | null {
  let first: number | null = null;
  for (const t of timelines) if (t.completedAt !== null && (first === null || t.completedAt < first)) first = t.completedAt;
  return first;
}

/**
 * The series an XmR chart of `kind` reads over a window: lead or cycle time of each item
 * finished in it (completion order); throughput and WIP at the end of each complete ISO week,
 * from the week of the stream's first completion on (the ramp-up before is left out).
 * @example xmrSeriesOf('wip', timelines, map, window).labels // ['2025-W43', '2025-W44', …]
 */
export function xmrSeriesOf(kind: XmrKind, timelines: readonly Timeline[], map: StreamMap, window: Window): XmrSeries {
  if (kind === 'leadtime') return leadTimeSeries(timelines, map, window);
  if (kind === 'cycletime') return cycleTimeSeries(timelines, map, window);
  const weeks = xmrWeeksOf(timelines, map, window);
  if (!weeks) return { values: [], labels: [], ats: [] };
  return kind === 'throughput' ? weeklyThroughputSeries(timelines, map, weeks) : weeklyWipSeries(timelines, map, weeks);
}

/**
 * The complete ISO weeks of a window that weekly XmR series read: from the week of the stream's
 * first completion (or the window's first whole week, if later) to the last whole week; null
 * when nothing finished yet or no whole week fits.
 * @example xmrWeeksOf(timelines, map, { from, to }) // { from: <a Monday's midnight>, to: <a later Monday's midnight> }
 */
export function xmrWeeksOf(timelines: readonly Timeline[], map: StreamMap, window: Window): Window | null {
  const first = firstCompletionOf(timelines);
  if (first === null) return null;
  const calendar = getZoneCalendar(map.timeZone);
  const monday = (at: number): number => calendar.startOfDay(isoWeekMondayOf(calendar.dayNumber(at)));
  const weeks = completeIsoWeeks({ from: Math.max(window.from, monday(first)), to: window.to }, calendar);
  // completeIsoWeeks returns the window itself when no whole week fits
  if (weeks.to <= weeks.from || monday(weeks.from) !== weeks.from || monday(weeks.to) !== weeks.to) return null;
  return weeks;
}

/**
 * The part of a result whose points lie in [from, to) (by their `at`), re-indexed from 0: phases
 * keep the limits of the whole reading (their baseline may lie before `from`), signals keep their
 * points inside. Points without `at` are kept. Limits stay those of the stable baseline however
 * short the window is.
 * @example sliceXmr(reading.result, now - 84 * DAY, now + 1).points.length // the points of the last 12 weeks
 */
export function sliceXmr(result: XmrResult, from: number, to: number): XmrResult {
  const inside = (at: number | undefined): boolean => at === undefined || (at >= from && at < to);
  const newIndex = new Map<number, number>();
  const points = result.points.flatMap((p) => {
    if (!inside(p.at)) return [];
    newIndex.set(p.index, newIndex.size);
    return [{ ...p, index: newIndex.size - 1 }];
  });
  if (points.length === result.points.length) return result;
  const phases = result.phases.flatMap((phase) => {
    const kept: number[] = [];
    for (let i = phase.startIndex; i <= phase.endIndex; i++) if (newIndex.has(i)) kept.push(newIndex.get(i)!);
    return kept.length > 0 ? [{ ...phase, startIndex: kept[0]!, endIndex: kept[kept.length - 1]! }] : [];
  });
  const signals = result.signals.flatMap((s) => {
    const kept = s.points.filter((i) => newIndex.has(i)).map((i) => newIndex.get(i)!);
    return kept.length > 0 ? [{ ...s, points: kept }] : [];
  });
  // a phase's first point in the window has no moving range shown within it
  for (const phase of phases) {
    const first = points[phase.startIndex]!;
    if (first.mr !== null) points[phase.startIndex] = { ...first, mr: null };
  }
  return { points, phases, signals };
}

/**
 * The current phase's signals only (the latest point's phase), marked on its points: what the answers tell and the charts mark.
 * @example currentPhaseSignals(reading.result).signals.every((s) => s.phase === reading.result.phases.at(-1)!.index) // true
 */
export function currentPhaseSignals(result: XmrResult): XmrResult {
  const current = result.points.at(-1)?.phase;
  return withSignals(result, result.signals.filter((s) => s.phase === current));
}

/**
 * A stream's XmR reading for a window: read over the whole history up to the window's end (so the
 * limits come from the stable baseline of each phase, not from the first points of the window),
 * then cut to the window.
 * @example readStreamXmr('leadtime', timelines, map, events, { from: now - 84 * DAY, to: now + 1 }).result.phases.at(-1)?.baselineCount // 20
 */
export function readStreamXmr(
  kind: XmrKind,
  timelines: readonly Timeline[],
  map: StreamMap,
  events: readonly FlowEvent[],
  window: Window,
  scale: XmrScale = defaultXmrScale(kind),
): XmrReading {
  let first = window.from;
  for (const t of timelines) if (t.arrivedAt < first) first = t.arrivedAt;
  const reading = readXmr(kind, xmrSeriesOf(kind, timelines, map, { from: first, to: window.to }), events, scale);
  if (first >= window.from) return reading;
  const keep = reading.series.ats.map((at) => at >= window.from && at < window.to);
  const series: XmrSeries = {
    values: reading.series.values.filter((_, i) => keep[i]),
    labels: reading.series.labels.filter((_, i) => keep[i]),
    ats: reading.series.ats.filter((_, i) => keep[i]),
  };
  return { ...reading, series, result: sliceXmr(reading.result, window.from, window.to) };
}
