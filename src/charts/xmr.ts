import type { FlowEvent, XmrPhase, XmrResult, XmrRule } from '../core/types.ts';
import type { XmrScale } from '../core/xmr-reading.ts';
import { XMR_RULES } from '../core/types.ts';
import type { BuiltChart, ChartContext, Layer } from './chart-types.ts';
import { MIN_POINTS } from './chart-types.ts';
import { dateToUtcMs, formatDateRange, formatNumber, localDateOf, plural } from './format.ts';
import { niceCeiling } from './nice-ceiling.ts';
import { boundaryX, placeLabels } from './xmr-layout.ts';
import { withHalo } from './halo.ts';
import { lineEnvelope, onePerCell } from './line-envelope.ts';
import { eventLabel, eventLayers } from './event-marks.ts';
import { notEnoughData } from './not-enough-data.ts';
import { INK } from './palette.ts';
import { layoutOf, periodRange, specHead } from './theme.ts';
import { XMR_LINE_COLOR, XMR_RULE_STYLE, XMR_RULE_WORDS, XMR_SERIES_WORDS, type XmrSeriesKind } from './xmr-wording.ts';
import { xmrMovingRangePanel } from './xmr-mr-panel.ts';

export interface XmrInput {
  result: XmrResult;
  series: XmrSeriesKind;
  /** the measure cannot be negative (lead time, throughput, WIP): LNPL is drawn at 0 when below. Default true. */
  nonNegative?: boolean;
  /** events to annotate; default: the events that opened the result's phases */
  events?: FlowEvent[];
  /** how the result was read (readXmr): `log` says so under the title (centre = geometric mean) */
  scale?: XmrScale;
}

/** Height of the X panel at report and at chat size. */
const X_PANEL_HEIGHT = { report: 250, chat: 160 };
/** The px a dated x axis keeps free at each end. */
const TEMPORAL_X_PADDING = 8;
/** Above this many points, only signal points get a dot; the line carries the rest. */
const MAX_PLAIN_DOTS = 200;

/** Where each point sits on the x axis, and how the axis is labelled. */
export interface XmrAxis {
  xs: number[];
  temporal: boolean;
  title: string;
}

function xmrAxis(result: XmrResult, series: XmrSeriesKind, timeZone: string): XmrAxis {
  const temporal = (series === 'throughput' || series === 'wip') && result.points.every((p) => p.at !== undefined);
  if (temporal) {
    return {
      xs: result.points.map((p) => dateToUtcMs(localDateOf(p.at as number, timeZone))),
      temporal,
      title: series === 'throughput' ? 'Week starting' : 'End of week',
    };
  }
  return { xs: result.points.map((p) => p.index + 1), temporal: false, title: 'Finished items, in order of completion' };
}

interface LimitRow {
  phase: number;
  line: 'UNPL' | 'Centre' | 'LNPL';
  x0: number;
  x1: number;
  value: number;
  label: string;
  last: boolean;
}

function limitRows(phases: readonly XmrPhase[], xs: readonly number[], nonNegative: boolean): LimitRow[] {
  const rows: LimitRow[] = [];
  phases.forEach((phase, k) => {
    const last = k === phases.length - 1;
    const x0 = boundaryX(xs, phase.startIndex);
    const x1 = phase.endIndex + 1 < xs.length ? boundaryX(xs, phase.endIndex + 1) : xs[phase.endIndex];
    const lnpl = nonNegative ? Math.max(0, phase.lnpl) : phase.lnpl;
    rows.push({ phase: phase.index, line: 'UNPL', x0, x1, value: phase.unpl, label: `UNPL ${formatNumber(phase.unpl)}`, last });
    rows.push({ phase: phase.index, line: 'Centre', x0, x1, value: phase.center, label: `Centre ${formatNumber(phase.center)}`, last });
    rows.push({ phase: phase.index, line: 'LNPL', x0, x1, value: lnpl, label: `LNPL ${formatNumber(lnpl)}`, last });
  });
  return rows;
}

/**
 * The signal points to mark: every one, except that of the marks of one rule within half a pixel
 * of each other (a whole history's run of 8 can put thousands on a few columns) only the one drawn
 * on top is kept. `xPx` and `yPx` place a point in the plot, in px.
 */
function signalMarks<R extends { x: number; value: number; signal: string | null }>(rows: readonly R[], xPx: (x: number) => number, yPx: (value: number) => number): R[] {
  const signals = rows.filter((row) => row.signal !== null);
  if (signals.length <= MAX_PLAIN_DOTS) return signals;
  return onePerCell(signals, (row) => [xPx(row.x), yPx(row.value)], (row) => row.signal!, 0.5);
}

function firstRule(rules: readonly XmrRule[]): XmrRule | null {
  return XMR_RULES.find((rule) => rules.includes(rule)) ?? null;
}

/**
 * XmR chart (process behaviour chart): the X panel (values, centre line, UNPL, LNPL per phase, with
 * a break and the event's text at each logged event; signal points highlighted with the rule named in
 * the legend) above the mR panel (moving ranges, mean mR, upper range limit).
 * @example xmrChart({ result, series: 'leadtime' }, ctx).summary
 *   // 'Lead time of 122 finished items: centre 12.4 days, limits 0–25.1 since "WIP limit 3 in Code review"; no signals, only routine variation.'
 */
export function xmrChart(input: XmrInput, ctx: ChartContext): BuiltChart {
  const { result, series } = input;
  const words = XMR_SERIES_WORDS[series];
  const nonNegative = input.nonNegative ?? true;
  const what = `${words.what} XmR chart`;
  const n = result.points.length;
  if (n < MIN_POINTS) return notEnoughData(what, ctx, n, words.points);
  const tz = ctx.timeZone ?? 'UTC';
  const axis = xmrAxis(result, series, tz);
  const { xs } = axis;
  const layout = layoutOf(ctx);
  const plotWidth = layout.plotWidth;
  const panelHeight = X_PANEL_HEIGHT[layout.size];

  const pointRows = result.points.map((p, i) => {
    const rule = firstRule(p.rules);
    return {
      x: xs[i],
      value: p.value,
      mr: p.mr,
      phase: p.phase,
      signal: rule ? XMR_RULE_WORDS[rule] : null,
      label: p.label ?? '',
    };
  });
  const presentRules = XMR_RULES.filter((rule) => result.points.some((p) => firstRule(p.rules) === rule));
  const limits = limitRows(result.phases, xs, nonNegative);
  const events = (input.events ?? result.phases.flatMap((ph) => (ph.event ? [ph.event] : []))).flatMap((event) => {
    const start = result.points.findIndex((p) => p.at !== undefined && p.at >= event.at);
    const phaseStart = result.phases.find((ph) => ph.event === event)?.startIndex;
    const index = phaseStart ?? start;
    if (index <= 0) return [];
    return [{ x: boundaryX(xs, index), label: eventLabel(event, tz) }];
  });

  // loops, not Math.max(...values): a whole history's points are more than a call's arguments
  let maxValue = Number.NEGATIVE_INFINITY;
  let minValue = Number.POSITIVE_INFINITY;
  for (const p of result.points) {
    maxValue = Math.max(maxValue, p.value);
    minValue = Math.min(minValue, p.value);
  }
  for (const ph of result.phases) maxValue = Math.max(maxValue, ph.unpl);
  for (const row of limits) minValue = Math.min(minValue, row.value);
  const spread = Math.max(maxValue - minValue, 1);
  const yDomain: [number, number] = nonNegative
    ? [0, niceCeiling(maxValue * 1.08)]
    : [minValue - spread * 0.05, maxValue + spread * 0.12];
  const yScale = { domain: yDomain, nice: false, zero: false };
  const x = {
    field: 'x',
    type: axis.temporal ? ('temporal' as const) : ('quantitative' as const),
    title: axis.title,
    scale: axis.temporal
      ? { type: 'utc' as const, nice: false, padding: TEMPORAL_X_PADDING }
      : { domain: [0.5, n + 0.5], nice: false, zero: false },
    axis: axis.temporal
      ? { format: '%-d %b', grid: false, labelOverlap: true, ...(layout.size === 'chat' ? { tickCount: 5 } : {}) }
      : { grid: false, format: 'd', tickMinStep: 1, tickCount: layout.size === 'chat' ? 5 : 10 },
  };
  const y = { field: 'value', type: 'quantitative' as const, title: words.axis, scale: yScale };
  // where an x value sits in the plot, in px (as the x scale above places it)
  const [xMin, xMax] = axis.temporal ? [xs[0]!, xs[n - 1]!] : [0.5, n + 0.5];
  const pad = axis.temporal ? TEMPORAL_X_PADDING : 0;
  const xPx = (v: number) => pad + ((v - xMin) / Math.max(1e-9, xMax - xMin)) * (plotWidth - 2 * pad);
  const yPx = (v: number) => ((v - yDomain[0]) / Math.max(1e-9, yDomain[1] - yDomain[0])) * panelHeight;

  const layers: Layer[] = [
    {
      data: { values: limits.filter((row) => row.line !== 'Centre') },
      mark: { type: 'rule', color: INK.limit, strokeDash: [6, 4], strokeWidth: 1.3 },
      encoding: { x: { ...x, field: 'x0' }, x2: { field: 'x1' }, y: { ...y, field: 'value' } },
    },
    {
      data: { values: limits.filter((row) => row.line === 'Centre') },
      mark: { type: 'rule', color: INK.line, strokeWidth: 1.5 },
      encoding: { x: { ...x, field: 'x0' }, x2: { field: 'x1' }, y: { ...y, field: 'value' } },
    },
    {
      // thinned to what each pixel column shows (2 columns a CSS pixel: charts are drawn at 2×)
      data: { values: lineEnvelope(pointRows, (row) => row.value, 2 * plotWidth) },
      mark: { type: 'line', color: XMR_LINE_COLOR, strokeWidth: n > MAX_PLAIN_DOTS ? 1 : 1.4 },
      encoding: { x, y, detail: { field: 'phase', type: 'nominal' } },
    },
  ];
  if (n <= MAX_PLAIN_DOTS) {
    layers.push({
      data: { values: pointRows },
      mark: { type: 'circle', color: XMR_LINE_COLOR, size: 22, opacity: 1 },
      encoding: { x, y },
    });
  }
  if (presentRules.length > 0) {
    const domain = presentRules.map((rule) => XMR_RULE_WORDS[rule]);
    layers.push({
      data: { values: signalMarks(pointRows, xPx, yPx) },
      mark: { type: 'point', filled: true, size: n > MAX_PLAIN_DOTS ? 36 : 70, opacity: 1, stroke: 'white', strokeWidth: 0.6 },
      encoding: {
        x,
        y,
        color: {
          field: 'signal',
          type: 'nominal',
          scale: { domain, range: presentRules.map((rule) => XMR_RULE_STYLE[rule].color) },
          // chat: two columns, so the legend is no wider than the plot
          legend: layout.size === 'chat'
            ? { orient: 'top', title: 'Signals:', titleOrient: 'left', direction: 'horizontal', columns: 2 }
            : { orient: 'top', title: 'Signals:', titleOrient: 'left', direction: 'horizontal' },
        },
        shape: { field: 'signal', type: 'nominal', scale: { domain, range: presentRules.map((rule) => XMR_RULE_STYLE[rule].shape) } },
      },
    });
  }
  // limit labels: the last phase's to the right of the plot, earlier phases' above their lines at the phase start
  layers.push(
    {
      data: { values: placeLabels(limits.filter((row) => row.last), yDomain, panelHeight, 0, layout.text.label + 2) },
      mark: { type: 'text', align: 'left', baseline: 'middle', dx: 6, fontSize: layout.text.label, fontWeight: 'bold', color: INK.text },
      encoding: { x: { value: plotWidth }, y: { field: 'labelY', type: 'quantitative', scale: null }, text: { field: 'label' } },
    },
    ...withHalo({
      data: { values: placeLabels(limits.filter((row) => !row.last), yDomain, panelHeight, -8, layout.text.note + 2) },
      mark: { type: 'text', align: 'left', baseline: 'middle', dx: 3, fontSize: layout.text.note, fontWeight: 'bold', color: INK.muted },
      encoding: { x: { ...x, field: 'x0' }, y: { field: 'labelY', type: 'quantitative', scale: null }, text: { field: 'label' } },
    }),
  );
  layers.push(...eventLayers(events, x, xPx, layout));

  const first = result.points[0];
  const lastPoint = result.points[n - 1];
  const range =
    first.at !== undefined && lastPoint.at !== undefined
      ? formatDateRange(localDateOf(first.at, tz), localDateOf(lastPoint.at, tz))
      : periodRange(ctx);
  const signalCount = result.signals.length;
  const summary = xmrSummary(input, words, range, nonNegative);
  const baselineNote = `limits from the first 20 points of each phase${input.scale === 'log' ? ' · log scale: centre = geometric mean' : ''}`;

  return {
    enough: true,
    summary,
    spec: {
      ...specHead(
        what,
        ctx,
        [`${plural(n, words.point, words.points)} · ${range} · ${baselineNote} · ${signalCount === 0 ? 'no signals' : plural(signalCount, 'signal')}${result.phases.length > 1 ? ' in the current phase' : ''}`],
        xmrFinding(result, words.unit, nonNegative),
      ),
      vconcat: [
        { width: plotWidth, height: panelHeight, layer: layers },
        xmrMovingRangePanel(result, xs, x, limits.length > 0, layout),
      ],
      resolve: { scale: { x: 'shared' } },
      spacing: layout.size === 'chat' ? 10 : 18,
    },
  };
}

/** The chat title: signals or routine variation, and the current limits. */
function xmrFinding(result: XmrResult, unit: string, nonNegative: boolean): string | undefined {
  const phase = result.phases[result.phases.length - 1];
  if (!phase) return undefined;
  const lnpl = nonNegative ? Math.max(0, phase.lnpl) : phase.lnpl;
  const limitsText = `centre ${formatNumber(phase.center)} ${unit}, limits ${formatNumber(lnpl)}–${formatNumber(phase.unpl)}`;
  return result.signals.length === 0 ? `Only routine variation · ${limitsText}` : `${plural(result.signals.length, 'signal')} · ${limitsText}`;
}

function xmrSummary(
  input: XmrInput,
  words: (typeof XMR_SERIES_WORDS)[XmrSeriesKind],
  range: string,
  nonNegative: boolean,
): string {
  const { result } = input;
  const n = result.points.length;
  const head = `${words.what} of ${plural(n, words.point, words.points)} (${range})`;
  const phase = result.phases[result.phases.length - 1];
  if (!phase) return `${head}: no phase has the 6 points limits need yet.`;
  const lnpl = nonNegative ? Math.max(0, phase.lnpl) : phase.lnpl;
  const since = phase.event ? ` since "${phase.event.text}"` : '';
  const limitsText = `centre ${formatNumber(phase.center)} ${words.unit}, limits ${formatNumber(lnpl)}–${formatNumber(phase.unpl)}${since}`;
  if (result.signals.length === 0) return `${head}: ${limitsText}; no signals, only routine variation.`;
  const byRule = XMR_RULES.map((rule) => ({ rule, count: result.signals.filter((s) => s.rule === rule).length }))
    .filter((r) => r.count > 0)
    .map((r) => `${r.count} ${XMR_RULE_WORDS[r.rule].toLowerCase()}`);
  const latest = result.signals.reduce((a, b) => (b.points[b.points.length - 1] > a.points[a.points.length - 1] ? b : a));
  const latestPoint = result.points[latest.points[latest.points.length - 1]];
  const where = latestPoint.label ? ` (latest at ${latestPoint.label})` : '';
  return `${head}: ${limitsText}; ${plural(result.signals.length, 'signal')}: ${byRule.join(', ')}${where}.`;
}
