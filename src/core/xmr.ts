/**
 * XmR (process behaviour) chart: natural process limits per phase and the
 * three detection rules. Limits come from the first `baseline` points of each
 * phase (default 20; all if fewer; none under 6 points). LNPL is raw, never
 * clamped (clamping at 0 is for drawing only).
 */
import type { FlowEvent, XmrLimits, XmrPhase, XmrPoint, XmrResult, XmrRule, XmrSignal } from './types.ts';
import { XMR_RULES } from './types.ts';

/** Scaling constants of the XmR chart (Wheeler). */
export const NPL_FACTOR = 2.66;
export const MR_URL_FACTOR = 3.268;
/** A phase needs this many points for limits and signals. */
export const MIN_PHASE_POINTS = 6;

/** Shared by every point that takes part in no rule (frozen: never mutate a point's rules). */
const NO_RULES = Object.freeze([]) as unknown as XmrRule[];

/**
 * The rules of each bit mask (bit r for XMR_RULES[r]), in XMR_RULES order: one frozen array per
 * combination, shared by every point that takes part in those rules (a whole history's reading
 * marks tens of thousands of points).
 */
const RULES_OF_MASK: readonly XmrRule[][] = Array.from({ length: 1 << XMR_RULES.length }, (_, mask) =>
  mask === 0 ? NO_RULES : (Object.freeze(XMR_RULES.filter((_, r) => (mask & (1 << r)) !== 0)) as unknown as XmrRule[]),
);

/** The shared rules array of a mask (bit r for XMR_RULES[r]). */
export function rulesOfMask(mask: number): XmrRule[] {
  return RULES_OF_MASK[mask]!;
}

export interface XmrOptions {
  /** points of each phase the limits come from (default 20) */
  baseline?: number;
  /** indexes where a new phase begins (from logged events) */
  phaseStarts?: number[];
  /** the event that opened each phase start, aligned with `phaseStarts` */
  events?: (FlowEvent | null)[];
  labels?: string[];
  ats?: number[];
}

/**
 * Limits from baseline values: centre = mean X; mrCenter = mean of the baseline's moving ranges;
 * UNPL/LNPL = centre ± 2.66 × mrCenter; mrUrl = 3.268 × mrCenter.
 * @example
 * xmrLimits([5, 7, 6, 8, 6, 4]); // center 6, mrCenter 1.8, unpl 10.788, lnpl 1.212, mrUrl 5.8824, baselineCount 6
 */
export function xmrLimits(baseline: readonly number[]): XmrLimits {
  const n = baseline.length;
  let sum = 0, mrSum = 0;
  for (let i = 0; i < n; i++) {
    sum += baseline[i];
    if (i > 0) mrSum += Math.abs(baseline[i] - baseline[i - 1]);
  }
  const center = sum / n;
  const mrCenter = n > 1 ? mrSum / (n - 1) : 0;
  return {
    center,
    mrCenter,
    unpl: center + NPL_FACTOR * mrCenter,
    lnpl: center - NPL_FACTOR * mrCenter,
    mrUrl: MR_URL_FACTOR * mrCenter,
    baselineCount: n,
  };
}

function phaseBoundaries(n: number, options: XmrOptions): { start: number; event: FlowEvent | null }[] {
  const starts = new Map<number, FlowEvent | null>([[0, null]]);
  (options.phaseStarts ?? []).forEach((index, k) => {
    if (!Number.isInteger(index) || index < 0 || index >= n) return;
    const event = options.events?.[k] ?? null;
    if (!starts.has(index) || (starts.get(index) === null && index === 0)) starts.set(index, event);
  });
  return [...starts.entries()].sort((a, b) => a[0] - b[0]).map(([start, event]) => ({ start, event }));
}

/** Marks every point of each maximal run of ≥ 8 points strictly on one side of the centre. */
function findRuns(values: readonly number[], from: number, to: number, center: number, emit: (side: 'above' | 'below', points: number[]) => void): void {
  let runStart = from;
  let runSide = 0;
  const close = (end: number): void => {
    if (runSide !== 0 && end - runStart >= 8) {
      const points: number[] = [];
      for (let k = runStart; k < end; k++) points.push(k);
      emit(runSide > 0 ? 'above' : 'below', points);
    }
  };
  for (let i = from; i <= to; i++) {
    const side = values[i] > center ? 1 : values[i] < center ? -1 : 0;
    if (side !== runSide) {
      close(i);
      runStart = i;
      runSide = side;
    }
  }
  close(to + 1);
}

/** 3-of-4: windows of four points with at least three beyond the midline on one side; overlapping windows merge. */
function findThreeOfFour(values: readonly number[], from: number, to: number, midline: number, side: 'above' | 'below', emit: (points: number[]) => void): void {
  const sign = side === 'above' ? 1 : -1;
  const beyond = (i: number): boolean => (values[i] - midline) * sign > 0;
  // windows move forward, so the points of a group are added in ascending order
  let group: number[] | null = null;
  let lastAdded = -1;
  let lastWindowEnd = -1;
  for (let s = from; s + 3 <= to; s++) {
    let count = 0;
    for (let k = s; k < s + 4; k++) if (beyond(k)) count++;
    if (count < 3) continue;
    if (group !== null && s > lastWindowEnd) {
      emit(group);
      group = null;
    }
    group ??= [];
    for (let k = Math.max(s, lastAdded + 1); k < s + 4; k++) {
      if (beyond(k)) {
        group.push(k);
        lastAdded = k;
      }
    }
    lastWindowEnd = s + 3;
  }
  if (group !== null) emit(group);
}

type SignalEmit = (rule: XmrRule, side: 'above' | 'below', points: number[]) => void;

/** The three rules on values[from..to] against given limits. */
function findSignals(values: readonly number[], from: number, to: number, limits: Pick<XmrLimits, 'center' | 'unpl' | 'lnpl'>, emit: SignalEmit): void {
  for (let i = from; i <= to; i++) {
    if (values[i] > limits.unpl) emit('beyond-limits', 'above', [i]);
    else if (values[i] < limits.lnpl) emit('beyond-limits', 'below', [i]);
  }
  findRuns(values, from, to, limits.center, (side, pts) => emit('run-of-8', side, pts));
  findThreeOfFour(values, from, to, (limits.center + limits.unpl) / 2, 'above', (pts) => emit('3-of-4', 'above', pts));
  findThreeOfFour(values, from, to, (limits.center + limits.lnpl) / 2, 'below', (pts) => emit('3-of-4', 'below', pts));
}

/**
 * The signals of values read against limits computed elsewhere (the limits of an earlier phase,
 * extended over later points): the same three rules as xmr. `phase` is left 0 and points index `values`.
 * @example
 * signalsAgainstLimits([4, 9, 8, 9], { center: 5, unpl: 7.66, lnpl: 2.34 });
 * // beyond-limits above at [1], [2], [3]; 3-of-4 above [1, 2, 3] (3 of the 4 beyond the midline 6.33)
 */
export function signalsAgainstLimits(values: readonly number[], limits: Pick<XmrLimits, 'center' | 'unpl' | 'lnpl'>): XmrSignal[] {
  const signals: XmrSignal[] = [];
  findSignals(values, 0, values.length - 1, limits, (rule, side, points) => signals.push({ rule, side, phase: 0, points }));
  signals.sort((a, b) => a.points[0] - b.points[0] || XMR_RULES.indexOf(a.rule) - XMR_RULES.indexOf(b.rule) || (a.side < b.side ? -1 : 1));
  return signals;
}

/** Marks each point of every maximal run of ≥ 6 strictly rising or strictly falling points. */
function markTrends(values: readonly number[], from: number, to: number, points: XmrPoint[]): void {
  for (const dir of [1, -1]) {
    let runStart = from;
    for (let i = from + 1; i <= to + 1; i++) {
      const continues = i <= to && (values[i] - values[i - 1]) * dir > 0;
      if (continues) continue;
      if (i - runStart >= 6) for (let k = runStart; k < i; k++) points[k].trend = true;
      runStart = i;
    }
  }
}

/**
 * XmR chart of a series: moving ranges, limits per phase, rule marks per point, signals, trends.
 * Rules: "beyond-limits" (strictly outside UNPL/LNPL), "run-of-8" (8+ in a row strictly on one
 * side of the centre), "3-of-4" (3 of 4 consecutive points strictly beyond the midline between
 * centre and a limit, on one side). Runs and windows stay within a phase. A trend (6+ points
 * rising or falling) is marked on points only; it is never a signal.
 * @example
 * const r = xmr([5, 7, 6, 8, 6, 4, 20]);
 * r.phases[0].unpl; // 10.788 → the 20 is beyond the limits
 * r.signals; // [{ rule: 'beyond-limits', side: 'above', phase: 0, points: [6] }]
 */
export function xmr(values: readonly number[], options: XmrOptions = {}): XmrResult {
  const baseline = options.baseline ?? 20;
  if (!Number.isInteger(baseline) || baseline < 2) {
    throw new RangeError(`XmR baseline ${baseline} is not usable: give a whole number of points, at least 2 (default 20).`);
  }
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) throw new RangeError(`XmR value at index ${i} is ${v}: every value must be a finite number.`);
  }
  const n = values.length;
  const { labels, ats } = options;
  const bounds = n > 0 ? phaseBoundaries(n, options) : [];
  const points: XmrPoint[] = [];
  const phases: XmrPhase[] = [];
  const signals: XmrSignal[] = [];
  // bit r set when the point takes part in XMR_RULES[r]
  const marks = new Uint8Array(n);

  bounds.forEach(({ start, event }, phase) => {
    const end = phase + 1 < bounds.length ? bounds[phase + 1].start - 1 : n - 1;
    for (let i = start; i <= end; i++) {
      const mr = i > start ? Math.abs(values[i] - values[i - 1]) : null;
      const label = labels?.[i];
      const at = ats?.[i];
      // one object shape per case keeps 100,000-point series fast
      const point: XmrPoint =
        label !== undefined && at !== undefined
          ? { index: i, value: values[i], mr, rules: NO_RULES, trend: false, phase, label, at }
          : { index: i, value: values[i], mr, rules: NO_RULES, trend: false, phase };
      if (label !== undefined && at === undefined) point.label = label;
      if (at !== undefined && label === undefined) point.at = at;
      points.push(point);
    }
    if (end - start + 1 < MIN_PHASE_POINTS) return;
    const limits = xmrLimits(values.slice(start, Math.min(end + 1, start + baseline)));
    phases.push({ index: phase, startIndex: start, endIndex: end, event, ...limits });

    const emit = (rule: XmrRule, side: 'above' | 'below', pts: number[]): void => {
      const bit = 1 << XMR_RULES.indexOf(rule);
      for (const p of pts) marks[p] |= bit;
      signals.push({ rule, side, phase, points: pts });
    };
    findSignals(values, start, end, limits, emit);
    markTrends(values, start, end, points);
  });

  for (const point of points) if (marks[point.index] !== 0) point.rules = rulesOfMask(marks[point.index]!);
  signals.sort((a, b) => a.points[0] - b.points[0] || XMR_RULES.indexOf(a.rule) - XMR_RULES.indexOf(b.rule) || (a.side < b.side ? -1 : 1));
  return { points, phases, signals };
}
