/**
 * An experiment read on its measure's XmR chart: the phase before the policy change against
 * the points since. The points since are tested against the limits of the phase before (the
 * same three rules, the same scale), so a signal means the process moved away from what it
 * was; the phase since gets limits of its own once it has 6 points.
 */
import { getZoneCalendar } from './local-date.ts';
import { MIN_PHASE_POINTS, signalsAgainstLimits } from './xmr.ts';
import type { XmrKind, XmrReading } from './xmr-reading.ts';
import type { XmrPhase, XmrSignal } from './types.ts';

const DAY = 86_400_000;

/** Which way each measure should move for the better. */
export const BETTER_DIRECTION: Record<XmrKind, 'lower' | 'higher'> = { leadtime: 'lower', cycletime: 'lower', wip: 'lower', throughput: 'higher' };

/**
 * right-way: more of the points in signals since lie on the better side; wrong-way: more on the
 * worse side; mixed: as many on each; noise: no signal; no-baseline: the phase before has under 6 points.
 * Averages are geometric means on the log scale (lead and cycle time).
 */
export type ExperimentVerdict = 'right-way' | 'wrong-way' | 'mixed' | 'noise' | 'no-baseline';

export interface ExperimentComparison {
  kind: XmrKind;
  /** points of the phase before the change, its limits (null under 6 points) and the average of all its points */
  before: { points: number; limits: XmrPhase | null; average: number | null };
  /** points since the change, the limits of the phase it opened (null under 6 points) and the average of all of them */
  since: { points: number; limits: XmrPhase | null; average: number | null };
  /** signals of the points since against the limits of the phase before (points: indexes in the reading) */
  signals: XmrSignal[];
  verdict: ExperimentVerdict;
  /** more points the phase since needs for limits of its own (0 when it has them) */
  needed: number;
  /** when those points are likely there (epoch ms), null when there is no rate to tell */
  likelyBy: number | null;
}

/**
 * Compares the phase before an experiment with the points since it started.
 * @example
 * // weekly throughput 5 5 6 4 5 6 5 4 before, 9 8 9 since
 * compareExperiment(readXmr('throughput', series, [experimentEvent]), startedAt, now, 'Europe/Berlin');
 * // { before: { points: 8, limits: { center: 5, … } }, since: { points: 3, limits: null },
 * //   signals: [beyond-limits above, 3-of-4 above], verdict: 'right-way', needed: 3, likelyBy: <the 3rd week after> }
 */
export function compareExperiment(reading: XmrReading, startedAt: number, now: number, timeZone: string): ExperimentComparison {
  const { kind, result, series } = reading;
  const ats = series.ats;
  let sinceStart = ats.findIndex((at) => at >= startedAt);
  if (sinceStart === -1) sinceStart = ats.length;
  const sinceCount = ats.length - sinceStart;
  const lastBefore = sinceStart - 1;
  const beforePhaseIndex = lastBefore >= 0 ? result.points[lastBefore]!.phase : null;
  const beforeLimits = beforePhaseIndex === null ? null : (result.phases.find((p) => p.index === beforePhaseIndex) ?? null);
  const beforeStart = beforePhaseIndex === null ? sinceStart : result.points.findIndex((p) => p.phase === beforePhaseIndex);
  const sinceLimits = sinceCount > 0 ? (result.phases.find((p) => p.startIndex === sinceStart) ?? null) : null;

  let signals: XmrSignal[] = [];
  const log = reading.scale === 'log';
  const scaled = (v: number): number => (log ? Math.log(Math.max(v, 0.5)) : v);
  if (beforeLimits && sinceCount > 0) {
    // the points since against the limits of the phase before, on the reading's scale
    const limits = log ? { center: Math.log(beforeLimits.center), unpl: Math.log(beforeLimits.unpl), lnpl: Math.log(beforeLimits.lnpl) } : beforeLimits;
    signals = signalsAgainstLimits(series.values.slice(sinceStart).map(scaled), limits).map((s) => ({ ...s, phase: beforePhaseIndex!, points: s.points.map((i) => sinceStart + i) }));
  }
  const average = (values: readonly number[]): number | null => {
    if (values.length === 0) return null;
    const mean = values.reduce((sum, v) => sum + scaled(v), 0) / values.length;
    return log ? Math.exp(mean) : mean;
  };

  // the side holding more of the points that take part in signals is the way it moved
  const better = BETTER_DIRECTION[kind] === 'lower' ? 'below' : 'above';
  const pointsOn = (side: 'above' | 'below'): number => new Set(signals.filter((s) => s.side === side).flatMap((s) => s.points)).size;
  const good = pointsOn(better);
  const bad = pointsOn(better === 'below' ? 'above' : 'below');
  const verdict: ExperimentVerdict = !beforeLimits ? 'no-baseline' : good + bad === 0 ? 'noise' : good === bad ? 'mixed' : good > bad ? 'right-way' : 'wrong-way';

  const needed = sinceLimits ? 0 : Math.max(0, MIN_PHASE_POINTS - sinceCount);
  return {
    kind,
    before: { points: sinceStart - beforeStart, limits: beforeLimits, average: average(series.values.slice(beforeStart, sinceStart)) },
    since: { points: sinceCount, limits: sinceLimits, average: average(series.values.slice(sinceStart)) },
    signals,     verdict,
    needed,
    likelyBy: needed === 0 ? null : likelyBy(kind, ats, needed, now, timeZone),
  };
}

/**
 * When `needed` more points are likely there: weekly series get one point per complete week (the
 * week after the last point's week ends a week later, and so on); lead and cycle time one per
 * completion, at the rate of the last 28 days. Null when nothing finished in those 28 days.
 */
function likelyBy(kind: XmrKind, ats: readonly number[], needed: number, now: number, timeZone: string): number | null {
  if (kind === 'throughput' || kind === 'wip') {
    const last = ats.at(-1);
    if (last === undefined) return null;
    // a weekly point's at is its Monday's midnight: the week after it ends 14 local days later
    const calendar = getZoneCalendar(timeZone);
    return calendar.startOfDay(calendar.dayNumber(last) + (needed + 1) * 7);
  }
  const recent = ats.filter((at) => at > now - 28 * DAY && at <= now).length;
  if (recent === 0) return null;
  return now + Math.ceil((needed * 28) / recent) * DAY;
}
