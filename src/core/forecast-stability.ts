/**
 * Whether a forecast can be trusted: before resampling daily throughput, read the weekly
 * throughput of the sampling window on its XmR chart (readStreamXmr, the reading every chart,
 * answer and alert uses). No signal: the window is sampled as it is. A signal: only the days
 * since the shift are sampled (its first week), if that is at least MIN_STABLE_WEEKS weeks;
 * otherwise the window is sampled with a caution that there is too little stable history.
 */
import type { FlowEvent, StreamMap, Timeline, XmrPhase, XmrResult, XmrSignal } from './types.ts';
import { getZoneCalendar } from './local-date.ts';
import { readStreamXmr, sliceXmr } from './xmr-reading.ts';

/** Weeks a shifted throughput needs since the shift before a forecast samples only them. */
export const MIN_STABLE_WEEKS = 6;

export interface ForecastStability {
  /**
   * `stable`: no signal; `shift`: sampled since it; `too-short`: a shift too recent to sample alone;
   * `unsettled`: the current phase has too few weeks for its limits to say (SETTLED_PHASE_POINTS)
   */
  verdict: 'stable' | 'shift' | 'too-short' | 'unsettled';
  /** the current phase of the reading: its event (null for none) and how many weeks it has in all */
  phase: { event: FlowEvent | null; weeks: number } | null;
  /** complete weeks of the sampling window read on the weekly throughput XmR chart */
  weeksRead: number;
  /** the latest signal among those weeks, with the phase it is read against (null when stable) */
  signal: { signal: XmrSignal; phase: XmrPhase; since: number; week: string } | null;
  /** the weekly reading of the window (its points, phases and signals) */
  result: XmrResult;
  /** days the forecast resamples: the `sampleDays` local days before today */
  sampleDays: number;
}

/**
 * The stability verdict of a forecast made at `now` from the `lookbackDays` days before today.
 * @example
 * forecastStability(timelines, map, events, now).verdict; // 'stable'
 * // a run of 8 weeks above the centre that started 8 weeks ago: { verdict: 'shift', sampleDays: 56, … }
 */
export function forecastStability(
  timelines: readonly Timeline[],
  map: StreamMap,
  events: readonly FlowEvent[],
  now: number,
  lookbackDays = 90,
): ForecastStability {
  const calendar = getZoneCalendar(map.timeZone);
  const today = calendar.dayNumber(now);
  const window = { from: calendar.startOfDay(today - lookbackDays), to: calendar.startOfDay(today) };
  // the whole history's reading, cut to the window (as readStreamXmr does), keeping the whole current phase's length
  const whole = readStreamXmr('throughput', timelines, map, events, { from: 0, to: window.to });
  const result = sliceXmr(whole.result, window.from, window.to);
  const weeksRead = result.points.length;
  const current = whole.current;
  const currentPhase = current ? { event: current.event, weeks: current.points } : null;
  // limits that still move cannot call anything stable
  if (!current?.settled || weeksRead === 0) {
    return { verdict: 'unsettled', phase: currentPhase, weeksRead, signal: null, result, sampleDays: lookbackDays };
  }
  let latest: XmrSignal | null = null;
  for (const s of result.signals) if (!latest || s.points.at(-1)! > latest.points.at(-1)! || (s.points.at(-1) === latest.points.at(-1) && s.points[0]! < latest.points[0]!)) latest = s;
  if (!latest) return { verdict: 'stable', phase: currentPhase, weeksRead, signal: null, result, sampleDays: lookbackDays };
  // the shift began where the latest episode began: signals on that side that touch or overlap, back in time
  let start = latest.points[0]!;
  for (let moved = true; moved; ) {
    moved = false;
    for (const s of result.signals) {
      if (s.side !== latest.side || s.phase !== latest.phase) continue;
      if (s.points[0]! < start && s.points.at(-1)! >= start - 1) {
        start = s.points[0]!;
        moved = true;
      }
    }
  }
  const first = result.points[start]!;
  const since = first.at!;
  const phase = result.phases.find((p) => p.index === latest.phase)!;
  // the signal named: a run of 8 of the episode if there is one (it says "since when" best), else the latest
  const run = result.signals.filter((s) => s.side === latest.side && s.phase === latest.phase && s.points[0]! >= start && s.rule === 'run-of-8').at(-1);
  const signal = { signal: run ?? latest, phase, since, week: first.label ?? '' };
  const daysSince = today - calendar.dayNumber(since);
  if (daysSince < MIN_STABLE_WEEKS * 7) return { verdict: 'too-short', phase: currentPhase, weeksRead, signal, result, sampleDays: lookbackDays };
  return { verdict: 'shift', phase: currentPhase, weeksRead, signal, result, sampleDays: daysSince };
}
