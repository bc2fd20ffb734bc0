import type { Config } from 'vega-lite';
import { chartLayout, type ChartLayout } from './chart-layout.ts';
import type { ChartContext } from './chart-types.ts';
import { formatDateRange, localDateOf } from './format.ts';
import { INK } from './palette.ts';
import { wrapText } from './wrap-text.ts';

/** The one font family: DejaVu Sans, shipped by the npm package dejavu-fonts-ttf and loaded by the renderer. */
export const FONT_FAMILY = 'DejaVu Sans';

const configs = new Map<ChartLayout, Config>();

/** The Vega-Lite config every chart of a size shares: font, text sizes, greys, white background. */
export function chartConfig(layout: ChartLayout): Config {
  const cached = configs.get(layout);
  if (cached) return cached;
  const { text } = layout;
  const config: Config = {
    font: FONT_FAMILY,
    background: 'white',
    padding: layout.padding,
    view: { stroke: null },
    title: {
      font: FONT_FAMILY,
      fontSize: text.title,
      fontWeight: 'bold',
      color: INK.text,
      anchor: 'start',
      subtitleFont: FONT_FAMILY,
      subtitleFontSize: text.subtitle,
      subtitleColor: INK.muted,
      subtitlePadding: 6,
      offset: layout.size === 'chat' ? 10 : 14,
    },
    axis: {
      labelFont: FONT_FAMILY,
      titleFont: FONT_FAMILY,
      labelFontSize: text.axisLabel,
      titleFontSize: text.axisTitle,
      titleFontWeight: 'normal',
      titleColor: INK.text,
      labelColor: INK.text,
      gridColor: INK.grid,
      domainColor: '#999999',
      tickColor: '#999999',
      titlePadding: layout.size === 'chat' ? 6 : 8,
    },
    legend: {
      labelFont: FONT_FAMILY,
      titleFont: FONT_FAMILY,
      labelFontSize: text.legend,
      titleFontSize: text.legend + 1,
      titleFontWeight: 'normal',
      labelColor: INK.text,
      titleColor: INK.text,
    },
    text: { font: FONT_FAMILY, color: INK.text, fontSize: text.label },
  };
  configs.set(layout, config);
  return config;
}

/** The layout a chart is drawn with: the context's size (default chat). */
export function layoutOf(ctx: Pick<ChartContext, 'size'>): ChartLayout {
  return chartLayout(ctx.size);
}

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
 * The title block. Report size: what the chart shows, for which stream and period, and the
 * footnote lines (item count and date range first). Chat size: the finding as the title (when
 * given), then what, stream and period, then the footnote, wrapped to the chat width.
 * @example chartTitle('Cycle time', { ...ctx, size: 'report' }, ['212 items finished 1 Sep – 30 Nov 2026'])
 *   // { text: 'Cycle time · checkout · last 90 days', subtitle: ['212 items finished 1 Sep – 30 Nov 2026'] }
 */
export function chartTitle(what: string, ctx: ChartContext, footnote: string[], finding?: string): { text: string | string[]; subtitle: string[] } {
  const heading = `${what} · ${ctx.stream} · ${ctx.periodLabel}`;
  const layout = layoutOf(ctx);
  if (layout.size === 'report') return { text: heading, subtitle: footnote };
  const { title, subtitle } = layout.text;
  const wrap = (line: string, size: number, bold = false): string[] => wrapText(line, size, layout.lineWidth, bold);
  const titleLines = wrap(finding ?? heading, title, true);
  const subtitleLines = [...(finding ? wrap(heading, subtitle) : []), ...footnote.flatMap((line) => wrap(line, subtitle))];
  return { text: titleLines.length === 1 ? titleLines[0] : titleLines, subtitle: subtitleLines };
}

/**
 * What every chart spec starts with: the schema, the config of its size and the title block.
 * @example const spec = { ...specHead('Cycle time', ctx, [footnote], '85% took 9 days or less'), width: layout.plotWidth, layer };
 */
export function specHead(
  what: string,
  ctx: ChartContext,
  footnote: string[],
  finding?: string,
): { $schema: string; config: Config; title: { text: string | string[]; subtitle: string[] } } {
  return { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', config: chartConfig(layoutOf(ctx)), title: chartTitle(what, ctx, footnote, finding) };
}
