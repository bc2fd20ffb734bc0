import type { FlowEvent, ThroughputReport, XmrResult } from '../core/types.ts';
import { XMR_RULES } from '../core/types.ts';
import type { BuiltChart, ChartContext, Layer } from './chart-types.ts';
import { MIN_POINTS } from './chart-types.ts';
import { dateToUtcMs, formatDateRange, formatNumber, localDateOf, plural } from './format.ts';
import { eventLabel, eventLayers, type EventMark } from './event-marks.ts';
import { withHalo } from './halo.ts';
import { niceCeiling } from './nice-ceiling.ts';
import { notEnoughData } from './not-enough-data.ts';
import { INK, OKABE_ITO } from './palette.ts';
import { layoutOf, specHead } from './theme.ts';
import { boundaryX, placeLabels } from './xmr-layout.ts';
import { XMR_RULE_STYLE, XMR_RULE_WORDS } from './xmr-wording.ts';

export interface ThroughputInput {
  report: ThroughputReport;
  /** XmR of the weekly counts, one point per week of `report.perWeek` (same order) */
  xmr: XmrResult;
  /** logged events to mark; default: the events that opened the XmR phases */
  events?: readonly FlowEvent[];
}

const WEEK = 7 * 86_400_000;

/**
 * Throughput run chart: items finished per ISO week as bars, with the XmR centre line and natural
 * process limits of each phase; weeks taking part in a signal are coloured by rule.
 * @example throughputChart({ report, xmr }, ctx).summary
 *   // '4 to 17 items finished a week over 13 weeks (median 10); latest week 2026-W47: 9, inside the limits 0–22.1.'
 */
export function throughputChart(input: ThroughputInput, ctx: ChartContext): BuiltChart {
  const weeks = input.report.perWeek;
  const what = 'Weekly throughput';
  if (input.report.total < MIN_POINTS) return notEnoughData(what, ctx, input.report.total, 'finished items');
  if (weeks.length < MIN_POINTS) return notEnoughData(what, ctx, weeks.length, 'weeks of history');
  const { xmr } = input;
  const layout = layoutOf(ctx);
  const { plotWidth, plotHeight } = layout;
  const chat = layout.size === 'chat';
  const xs = weeks.map((w) => dateToUtcMs(w.start));
  const rows = weeks.map((w, i) => {
    const rules = xmr.points[i]?.rules ?? [];
    const rule = XMR_RULES.find((r) => rules.includes(r));
    return { x: xs[i], x2: xs[i] + WEEK - 86_400_000, week: w.week, count: w.count, status: rule ? XMR_RULE_WORDS[rule] : 'Routine' };
  });
  const limits = xmr.phases.flatMap((phase, k) => {
    const last = k === xmr.phases.length - 1;
    const x0 = boundaryX(xs, phase.startIndex) - (phase.startIndex === 0 ? WEEK / 2 : 0);
    const x1 = phase.endIndex + 1 < xs.length ? boundaryX(xs, phase.endIndex + 1) : xs[phase.endIndex] + WEEK / 2;
    const lnpl = Math.max(0, phase.lnpl);
    return [
      { phase: phase.index, line: 'UNPL', x0, x1, value: phase.unpl, label: `UNPL ${formatNumber(phase.unpl)}`, last },
      { phase: phase.index, line: 'Centre', x0, x1, value: phase.center, label: `Centre ${formatNumber(phase.center)}`, last },
      { phase: phase.index, line: 'LNPL', x0, x1, value: lnpl, label: `LNPL ${formatNumber(lnpl)}`, last },
    ];
  });
  const yMax = niceCeiling(Math.max(...weeks.map((w) => w.count), ...limits.map((l) => l.value)) * 1.05);
  const domain: [number, number] = [0, yMax];
  const xDomain = [xs[0] - WEEK / 2, xs[xs.length - 1] + WEEK / 2];
  const maxTicks = chat ? 6 : 14;
  const x = {
    field: 'x',
    type: 'temporal' as const,
    title: 'Week starting',
    scale: { type: 'utc' as const, domain: xDomain, nice: false },
    // ticks on the Mondays that start the weeks (d3's weekly ticks fall on Sundays), at most about 14 labels (6 in chat)
    axis: { format: '%-d %b', labelOverlap: true, grid: false, values: xs.filter((_, i) => i % Math.ceil(xs.length / maxTicks) === 0) },
  };
  // the domain is given once, on the bars; the other layers share the scale
  const xShared = { field: 'x', type: 'temporal' as const };
  const y = { field: 'count', type: 'quantitative' as const, title: 'Items finished per week', scale: { domain, nice: false } };
  const statuses = ['Routine', ...XMR_RULES.filter((r) => rows.some((row) => row.status === XMR_RULE_WORDS[r])).map((r) => XMR_RULE_WORDS[r])];
  const colorOf = (status: string): string => {
    const rule = XMR_RULES.find((r) => XMR_RULE_WORDS[r] === status);
    return rule ? XMR_RULE_STYLE[rule].color : OKABE_ITO.skyBlue;
  };
  const barWidth = Math.max(2, Math.min(28, (plotWidth / (weeks.length + 1)) * 0.7));

  const layers: Layer[] = [
    {
      data: { values: rows },
      mark: { type: 'bar', width: barWidth, opacity: 0.9 },
      encoding: {
        x,
        y,
        color: {
          field: 'status',
          type: 'nominal',
          scale: { domain: statuses, range: statuses.map(colorOf) },
          legend: statuses.length > 1 ? { orient: 'top', title: null, direction: 'horizontal' } : null,
        },
      },
    },
    {
      data: { values: limits.filter((l) => l.line !== 'Centre') },
      mark: { type: 'rule', color: INK.limit, strokeDash: [6, 4], strokeWidth: 1.3 },
      encoding: { x: { ...xShared, field: 'x0' }, x2: { field: 'x1' }, y: { ...y, field: 'value' } },
    },
    {
      data: { values: limits.filter((l) => l.line === 'Centre') },
      mark: { type: 'rule', color: INK.line, strokeWidth: 1.5 },
      encoding: { x: { ...xShared, field: 'x0' }, x2: { field: 'x1' }, y: { ...y, field: 'value' } },
    },
    {
      data: { values: placeLabels(limits.filter((l) => l.last), domain, plotHeight, 0, layout.text.label + 2) },
      mark: { type: 'text', align: 'left', baseline: 'middle', dx: 6, fontSize: layout.text.label, fontWeight: 'bold', color: INK.text },
      encoding: { x: { value: plotWidth }, y: { field: 'labelY', type: 'quantitative', scale: null }, text: { field: 'label' } },
    },
    ...withHalo({
      data: { values: placeLabels(limits.filter((l) => !l.last), domain, plotHeight, -8, layout.text.note + 2) },
      mark: { type: 'text', align: 'left', baseline: 'middle', dx: 3, fontSize: layout.text.note, fontWeight: 'bold', color: INK.muted },
      encoding: { x: { ...xShared, field: 'x0' }, y: { field: 'labelY', type: 'quantitative', scale: null }, text: { field: 'label' } },
    }),
  ];
  const tz = ctx.timeZone ?? 'UTC';
  const phaseEvents = xmr.phases.flatMap((phase) => (phase.event && phase.startIndex > 0 ? [{ event: phase.event, start: phase.startIndex }] : []));
  // an event that opened a phase sits at the phase's boundary; any other at the week it falls in
  const eventMarks: EventMark[] = (input.events ?? phaseEvents.map((p) => p.event)).flatMap((event) => {
    const opened = phaseEvents.find((p) => p.event === event);
    const x = opened ? boundaryX(xs, opened.start) : dateToUtcMs(localDateOf(event.at, tz));
    return x >= xDomain[0] && x <= xDomain[1] ? [{ x, label: eventLabel(event, tz) }] : [];
  });
  layers.push(...eventLayers(eventMarks, x, (v) => ((v - xDomain[0]) / (xDomain[1] - xDomain[0])) * plotWidth, layout));

  const counts = weeks.map((w) => w.count);
  const sorted = [...counts].sort((a, b) => a - b);
  const median = sorted[Math.ceil(sorted.length / 2) - 1];
  const lastWeek = weeks[weeks.length - 1];
  const phase = xmr.phases[xmr.phases.length - 1];
  const lastRules = xmr.points[weeks.length - 1]?.rules ?? [];
  const where = !phase
    ? ''
    : lastRules.length > 0
      ? `, a signal (${XMR_RULE_WORDS[lastRules[0]].toLowerCase()})`
      : `, inside the limits ${formatNumber(Math.max(0, phase.lnpl))}–${formatNumber(phase.unpl)}`;
  const range = formatDateRange(weeks[0].start, lastWeek.start);
  return {
    enough: true,
    summary:
      `${sorted[0]} to ${sorted[sorted.length - 1]} items finished a week over ${plural(weeks.length, 'week')} ` +
      `(median ${median}); latest week ${lastWeek.week}: ${lastWeek.count}${where}.`,
    spec: {
      ...specHead(
        what,
        ctx,
        [`${plural(input.report.total, 'item')} finished in ${plural(weeks.length, 'week')} (weeks starting ${range}) · lines: XmR centre and natural process limits`],
        `${sorted[0]} to ${sorted[sorted.length - 1]} items a week, median ${median}; latest week ${lastWeek.count}${lastRules.length > 0 ? ', a signal' : ''}`,
      ),
      width: plotWidth,
      height: plotHeight,
      layer: layers,
    },
  };
}
