/**
 * The two sizes a chart is drawn at. `chat` (the default) is drawn for a chat column about 480 px
 * wide: at most 1024 × 1024 device pixels, fewer and larger labels, no text under 11 CSS px (so
 * at least 10 px when the 2x image is shown 480 px wide), a title that carries the finding.
 * `report` is the large layout of the CLI and the README (plot 720 × 360).
 */

/** The longest side of a chat-size PNG, in device pixels: Teams shows inline images up to 1024 × 1024. */
export const CHAT_MAX_PIXELS = 1024;

/** The sizes a chart can be drawn at. */
export const CHART_SIZES = ['chat', 'report'] as const;
export type ChartSize = (typeof CHART_SIZES)[number];
export const DEFAULT_CHART_SIZE: ChartSize = 'chat';

/** Plot size, text sizes (CSS pixels; the PNG is 2x) and spacing of one size. */
export interface ChartLayout {
  size: ChartSize;
  /** plot area of a single-panel chart */
  plotWidth: number;
  plotHeight: number;
  /** padding around everything */
  padding: number;
  text: {
    title: number;
    subtitle: number;
    axisLabel: number;
    axisTitle: number;
    legend: number;
    /** labels on the plot: percentile and limit values, event names, item keys */
    label: number;
    /** the smallest text: labels of earlier phases, counts above bars */
    note: number;
  };
  /** longest title or footnote line before it wraps (Infinity: never wraps) */
  lineWidth: number;
}

const LAYOUTS: Record<ChartSize, ChartLayout> = {
  chat: {
    size: 'chat',
    plotWidth: 330,
    plotHeight: 220,
    padding: 10,
    text: { title: 15, subtitle: 12, axisLabel: 12, axisTitle: 12, legend: 12, label: 12, note: 11 },
    lineWidth: 440,
  },
  report: {
    size: 'report',
    plotWidth: 720,
    plotHeight: 360,
    padding: 16,
    text: { title: 16, subtitle: 12, axisLabel: 11, axisTitle: 12, legend: 11, label: 11, note: 10 },
    lineWidth: Number.POSITIVE_INFINITY,
  },
};

/**
 * The layout of a size (default: chat).
 * @example chartLayout('report').plotWidth // 720
 */
export function chartLayout(size: ChartSize | undefined): ChartLayout {
  return LAYOUTS[size ?? DEFAULT_CHART_SIZE];
}

/**
 * True when `value` names a chart size.
 * @example isChartSize('report') // true
 */
export function isChartSize(value: string): value is ChartSize {
  return (CHART_SIZES as readonly string[]).includes(value);
}
