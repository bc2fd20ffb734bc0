import type { DurationReport, FlowEvent } from '../core/types.ts';
import { ITEM_TYPES } from '../core/types.ts';
import type { BuiltChart, ChartContext, Layer } from './chart-types.ts';
import { MIN_POINTS } from './chart-types.ts';
import { eventLayers, eventsOnDateAxis } from './event-marks.ts';
import type { PlotOverlay } from './plot-overlay.ts';
import { dateToUtcMs, formatNumber, plural } from './format.ts';
import { niceCeiling } from './nice-ceiling.ts';
import { notEnoughData } from './not-enough-data.ts';
import { INK, TYPE_COLORS, TYPE_LABELS } from './palette.ts';
import { PERCENTILE_DASH, PERCENTILE_RULE_WIDTH, percentileLines } from './percentile-lines.ts';
import { layoutOf, periodDates, periodRange, specHead } from './theme.ts';

export interface ScatterInput {
  report: DurationReport;
  /** what the durations are; default cycle time */
  measure?: 'cycle time' | 'lead time';
  /** above this many items the dots are drawn as pixels (default DENSE_DOTS_THRESHOLD) */
  denseThreshold?: number;
  /** logged events (policy changes, experiments) to mark on the time axis */
  events?: readonly FlowEvent[];
}

/** Above this many items the dots are drawn as one image layer instead of one SVG element each. */
export const DENSE_DOTS_THRESHOLD = 1500;
const DOT_RADIUS = 3;
const DOT_OPACITY = 0.75;
const HALF_DAY = 12 * 3600 * 1000;

const capitalize = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * Cycle-time scatterplot: one dot per finished item (x: completion date, y: days), coloured by type,
 * with dashed lines at the 50/70/85/95th percentiles, each labelled with its value.
 * @example scatterChart({ report: cycleTimeReport }, ctx).summary
 *   // '85% of the 212 items finished 1 Sep – 30 Nov 2026 took 9 days or less (50%: 4, 70%: 6, 95%: 15).'
 */
export function scatterChart(input: ScatterInput, ctx: ChartContext): BuiltChart {
  const { report } = input;
  const measure = input.measure ?? 'cycle time';
  const what = `${capitalize(measure)} of finished items`;
  const range = periodRange(ctx);
  if (report.items.length < MIN_POINTS || !report.percentiles) {
    return notEnoughData(what, ctx, report.items.length, 'finished items');
  }
  const p = report.percentiles;
  const layout = layoutOf(ctx);
  const { plotWidth, plotHeight } = layout;
  const count = report.items.length;
  const unit = report.days === 'calendar' ? 'days' : 'days elapsed';

  // one date parse per distinct completion date, not per item
  const dayMs = new Map<string, number>();
  const xOf = (date: string): number => {
    let ms = dayMs.get(date);
    if (ms === undefined) {
      ms = dateToUtcMs(date);
      dayMs.set(date, ms);
    }
    return ms;
  };
  const { fromDate, toDate } = periodDates(ctx);
  let x0 = dateToUtcMs(fromDate) - HALF_DAY;
  let x1 = dateToUtcMs(toDate) + HALF_DAY;
  let maxDays = p['95'];
  for (const item of report.items) {
    const x = xOf(item.endDate);
    if (x - HALF_DAY < x0) x0 = x - HALF_DAY;
    if (x + HALF_DAY > x1) x1 = x + HALF_DAY;
    if (item.days > maxDays) maxDays = item.days;
  }
  const yMax = niceCeiling(maxDays);
  const toPixelY = (days: number): number => plotHeight - (days / yMax) * plotHeight;

  const present = ITEM_TYPES.filter((type) => report.items.some((item) => item.type === type));
  const color = {
    field: 'type',
    type: 'nominal' as const,
    scale: { domain: present.map((t) => TYPE_LABELS[t]), range: present.map((t) => TYPE_COLORS[t]) },
    legend: { orient: 'top' as const, title: null, direction: 'horizontal' as const, symbolOpacity: 1 },
  };
  const x = {
    field: 'x',
    type: 'temporal' as const,
    title: 'Completion date',
    scale: { type: 'utc' as const, domain: [x0, x1], nice: false },
    axis: { format: '%-d %b', labelOverlap: true, grid: false, ...(layout.size === 'chat' ? { tickCount: 5 } : {}) },
  };
  const y = {
    field: 'days',
    type: 'quantitative' as const,
    title: `${capitalize(measure)} (${unit})`,
    scale: { domain: [0, yMax], nice: false },
  };

  const dense = count > (input.denseThreshold ?? DENSE_DOTS_THRESHOLD);
  const dotsLayer: Layer = dense
    ? {
        // carries the colour legend; the dots themselves are drawn by the overlay
        data: { values: present.map((t) => ({ x: x0 + HALF_DAY, days: 0, type: TYPE_LABELS[t] })) },
        mark: { type: 'circle', opacity: 0 },
        encoding: { x, y, color },
      }
    : {
        data: {
          values: report.items.map((item) => ({
            x: xOf(item.endDate),
            days: item.days,
            type: TYPE_LABELS[item.type],
            key: item.key,
          })),
        },
        // Vega's circle of size s has radius √s / 2
        mark: { type: 'circle' as const, size: 4 * DOT_RADIUS * DOT_RADIUS, opacity: DOT_OPACITY },
        encoding: { x, y, color },
      };
  const overlay: PlotOverlay | undefined = dense
    ? {
        width: plotWidth,
        height: plotHeight,
        radius: DOT_RADIUS,
        opacity: DOT_OPACITY,
        dots: report.items.map((item) => ({
          x: ((xOf(item.endDate) - x0) / (x1 - x0)) * plotWidth,
          y: toPixelY(item.days),
          color: TYPE_COLORS[item.type],
        })),
        rules: (['50', '70', '85', '95'] as const).map((level) => ({
          y: toPixelY(p[level]),
          color: INK.line,
          width: PERCENTILE_RULE_WIDTH,
          dash: PERCENTILE_DASH,
        })),
      }
    : undefined;

  return {
    enough: true,
    overlay,
    summary:
      `85% of the ${plural(count, 'item')} finished ${range} took ${formatNumber(p['85'])} ${unit} or less ` +
      `(50%: ${formatNumber(p['50'])}, 70%: ${formatNumber(p['70'])}, 95%: ${formatNumber(p['95'])}).`,
    spec: {
      ...specHead(
        what,
        ctx,
        [`${plural(count, 'item')} finished ${range} · one dot per item · a line at N% means N% of items took that long or less`],
        `85% of items took ${formatNumber(p['85'])} ${p['85'] === 1 ? 'day' : 'days'} or less`,
      ),
      width: plotWidth,
      height: plotHeight,
      layer: [
        dotsLayer,
        ...percentileLines(p, yMax, layout, { rules: !dense }),
        ...eventLayers(eventsOnDateAxis(input.events, x0, x1, ctx.timeZone ?? 'UTC', dateToUtcMs), x, (v) => ((v - x0) / (x1 - x0)) * plotWidth, layout),
      ],
      resolve: { scale: { y: 'shared' } },
    },
  };
}
