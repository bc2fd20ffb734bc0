import type { Config } from 'vega-lite';
import type { ChartContext } from './chart-types.ts';
import { formatDateRange, localDateOf } from './format.ts';
import { INK } from './palette.ts';

/** The one font family: DejaVu Sans, shipped by the npm package dejavu-fonts-ttf and loaded by the renderer. */
export const FONT_FAMILY = 'DejaVu Sans';

/** Plot area of a single-panel chart, in CSS pixels (rendered at 2x). */
export const PLOT_WIDTH = 720;
export const PLOT_HEIGHT = 360;

/** The Vega-Lite config every chart shares: font, sizes, greys, white background. */
export const CHART_CONFIG: Config = {
  font: FONT_FAMILY,
  background: 'white',
  padding: 16,
  view: { stroke: null },
  title: {
    font: FONT_FAMILY,
    fontSize: 16,
    fontWeight: 'bold',
    color: INK.text,
    anchor: 'start',
    subtitleFont: FONT_FAMILY,
    subtitleFontSize: 12,
    subtitleColor: INK.muted,
    subtitlePadding: 6,
    offset: 14,
  },
  axis: {
    labelFont: FONT_FAMILY,
    titleFont: FONT_FAMILY,
    labelFontSize: 11,
    titleFontSize: 12,
    titleFontWeight: 'normal',
    titleColor: INK.text,
    labelColor: INK.text,
    gridColor: INK.grid,
    domainColor: '#999999',
    tickColor: '#999999',
    titlePadding: 8,
  },
  legend: {
    labelFont: FONT_FAMILY,
    titleFont: FONT_FAMILY,
    labelFontSize: 11,
    titleFontSize: 12,
    titleFontWeight: 'normal',
    labelColor: INK.text,
    titleColor: INK.text,
  },
  text: { font: FONT_FAMILY, color: INK.text },
};

/** The local dates (`YYYY-MM-DD`) of the first and last day of the chart's period. */
export function periodDates(ctx: ChartContext): { fromDate: string; toDate: string } {
  const tz = ctx.timeZone ?? 'UTC';
  return { fromDate: localDateOf(ctx.from, tz), toDate: localDateOf(Math.max(ctx.from, ctx.to - 1), tz) };
}

/** "1 Sep – 30 Nov 2026" for the chart's period. */
export function periodRange(ctx: ChartContext): string {
  const { fromDate, toDate } = periodDates(ctx);
  return formatDateRange(fromDate, toDate);
}

/**
 * The title block: what the chart shows, for which stream and period, and the footnote lines
 * (item count and date range first).
 * @example chartTitle('Cycle time', ctx, ['212 items finished 1 Sep – 30 Nov 2026'])
 *   // { text: 'Cycle time · checkout · last 90 days', subtitle: ['212 items finished 1 Sep – 30 Nov 2026'] }
 */
export function chartTitle(what: string, ctx: ChartContext, footnote: string[]): { text: string; subtitle: string[] } {
  return { text: `${what} · ${ctx.stream} · ${ctx.periodLabel}`, subtitle: footnote };
}

/**
 * What every chart spec starts with: the schema, the shared config and the title block.
 * @example const spec = { ...specHead('Cycle time', ctx, [footnote]), width: PLOT_WIDTH, layer };
 */
export function specHead(what: string, ctx: ChartContext, footnote: string[]): { $schema: string; config: Config; title: { text: string; subtitle: string[] } } {
  return { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', config: CHART_CONFIG, title: chartTitle(what, ctx, footnote) };
}
