import type { TopLevelSpec } from 'vega-lite';
import type { Field } from 'vega-lite/types_unstable/channeldef.js';
import type { LayerSpec, UnitSpec } from 'vega-lite/types_unstable/spec/index.js';
import type { ChartSize } from './chart-layout.ts';
import type { PlotOverlay } from './plot-overlay.ts';

/** What every chart is about: the value stream and the period it shows. */
export interface ChartContext {
  /** value stream name, e.g. "checkout" */
  stream: string;
  /** the period in words, e.g. "last 90 days" */
  periodLabel: string;
  /** start of the period, epoch ms */
  from: number;
  /** end of the period, epoch ms, exclusive */
  to: number;
  /** IANA time zone of the stream; dates in titles are its local dates (default UTC) */
  timeZone?: string;
  /** chat (default: drawn for a chat column about 480 px wide, at most 1024 px) or report (large) */
  size?: ChartSize;
}

/** A chart ready to render: its Vega-Lite spec and one plain-words sentence of what it shows. */
export interface BuiltChart {
  spec: TopLevelSpec;
  /** used as alt text and as the chat message text */
  summary: string;
  /** false when the chart is the "not enough data yet" image */
  enough: boolean;
  /** marks drawn as pixels over the plot (dense dots), for speed; see plot-overlay.ts */
  overlay?: PlotOverlay;
  /**
   * The longest side the PNG may have (chat: 1024, Teams' inline limit). A chart whose layout is
   * taller at 2x is drawn at a lower zoom: shown in a chat column its text is just as large (the
   * column scales by width), only less crisp.
   */
  maxPixels?: number;
}

/** The fewest points a chart needs before it draws anything but "not enough data yet". */
export const MIN_POINTS = 6;

/** One layer of a layered Vega-Lite chart. */
export type Layer = LayerSpec<Field> | UnitSpec<Field>;
