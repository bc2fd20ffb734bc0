/**
 * Charts: one Vega-Lite spec builder per chart, one renderer to PNG.
 * `createChartRenderer()` is the entry point: made once where the program is wired (the bot's
 * start, a CLI command, a bench), passed down in the command and nudge contexts, closed at
 * shutdown. `chartForStream` (chart-for-stream.ts) loads a stream from the store and renders it.
 */
import { agingChart, type AgingInput } from './aging.ts';
import { cfdChart, type CfdInput } from './cfd.ts';
import type { BuiltChart, ChartContext } from './chart-types.ts';
import { CHAT_MAX_PIXELS } from './chart-layout.ts';
import { layoutOf } from './theme.ts';
import { distributionChart, type DistributionInput } from './distribution.ts';
import { forecastChart, type ForecastInput } from './forecast.ts';
import { createSpecRenderer, preloadChartLibraries, type RenderedChart, type SpecRenderer } from './render.ts';
import { scatterChart, type ScatterInput } from './scatter.ts';
import { stagesChart, type StagesInput } from './stages.ts';
import { throughputChart, type ThroughputInput } from './throughput.ts';
import { valueStreamMapChart, type ValueStreamMapInput } from './value-stream-map.ts';
import { xmrChart, type XmrInput } from './xmr.ts';

export const CHART_KINDS = ['scatter', 'xmr', 'aging', 'cfd', 'throughput', 'distribution', 'stages', 'forecast', 'map'] as const;
export type ChartKind = (typeof CHART_KINDS)[number];

/** What each chart is drawn from (core results), by kind. */
export interface ChartInputs {
  scatter: ScatterInput;
  xmr: XmrInput;
  aging: AgingInput;
  cfd: CfdInput;
  throughput: ThroughputInput;
  distribution: DistributionInput;
  stages: StagesInput;
  forecast: ForecastInput;
  map: ValueStreamMapInput;
}

/** A chart's data plus its context (stream, period). */
export type ChartInput<K extends ChartKind> = ChartInputs[K] & { context: ChartContext };

export interface RenderedChartWithSummary {
  /** PNG bytes at 2x */
  png: Buffer;
  svg: string;
  /** PNG size in pixels */
  width: number;
  height: number;
  /** one plain-words sentence of what the chart shows: the alt text and the message text */
  summary: string;
  /** false when the image says "not enough data yet" */
  enough: boolean;
}

const BUILDERS: { [K in ChartKind]: (input: ChartInputs[K], ctx: ChartContext) => BuiltChart } = {
  scatter: scatterChart,
  xmr: xmrChart,
  aging: agingChart,
  cfd: cfdChart,
  throughput: throughputChart,
  distribution: distributionChart,
  stages: stagesChart,
  forecast: forecastChart,
  map: valueStreamMapChart,
};

/**
 * True when `value` names a chart kind.
 * @example isChartKind('xmr') // true
 */
export function isChartKind(value: string): value is ChartKind {
  return (CHART_KINDS as readonly string[]).includes(value);
}

/** The refusal for an unknown kind, listing the accepted ones. */
export function unknownChartKindMessage(kind: string): string {
  return `Unknown chart "${kind}": choose one of ${CHART_KINDS.join(', ')}.`;
}

/**
 * The Vega-Lite spec and summary of a chart, without rendering.
 * @example buildChart('scatter', { report, context }).summary
 */
export function buildChart<K extends ChartKind>(kind: K, input: ChartInput<K>): BuiltChart {
  const build = BUILDERS[kind] as ((input: ChartInputs[K], ctx: ChartContext) => BuiltChart) | undefined;
  if (!build) throw new Error(unknownChartKindMessage(String(kind)));
  const built = build(input, input.context);
  // every chat-size chart fits Teams' inline limit, whatever its content makes of its layout
  return layoutOf(input.context).size === 'chat' && built.maxPixels === undefined ? { ...built, maxPixels: CHAT_MAX_PIXELS } : built;
}

/**
 * Draws charts to PNG on a resvg thread of its own (one chart at a time, each drawn into the
 * memory of the last: src/charts/resvg-thread.ts). Make one per program, close it at shutdown;
 * a closed renderer refuses every chart with a clear error.
 */
export interface ChartRenderer extends SpecRenderer {
  /**
   * Renders a chart to PNG bytes (2x), its SVG and a one-line summary.
   * @example const { png, summary } = await renderer.render('xmr', { result, series: 'leadtime', context })
   */
  render<K extends ChartKind>(kind: K, input: ChartInput<K>): Promise<RenderedChartWithSummary>;
  /** Renders a built chart (spec, summary, overlay) to PNG and SVG. */
  renderBuilt(built: BuiltChart): Promise<RenderedChartWithSummary>;
  /**
   * Loads Vega and starts the resvg thread (drawing one blank pixel), so the first answer after
   * start waits for neither (~0.4 s and ~50 ms). The bot calls it at start.
   */
  warmUp(): Promise<void>;
}

/** What warmUp draws to start the resvg thread. */
const BLANK_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"><rect width="1" height="1" fill="white"/></svg>';

/**
 * A chart renderer that owns its resvg thread (started at the first chart; idle, it keeps no
 * process alive). `close()` ends the thread.
 * @example
 * const charts = createChartRenderer();
 * const { png } = await charts.render('aging', { report, stages, context });
 * await charts.close();
 */
export function createChartRenderer(): ChartRenderer {
  const specs = createSpecRenderer();
  const renderBuilt = async (built: BuiltChart): Promise<RenderedChartWithSummary> => withSummary(await specs.renderSpec(built.spec, built.overlay, built.maxPixels === undefined ? {} : { maxPixels: built.maxPixels }), built);
  return {
    render: (kind, input) => renderBuilt(buildChart(kind, input)),
    renderBuilt,
    warmUp: async () => {
      await Promise.all([preloadChartLibraries(), specs.svgToPng(BLANK_SVG)]);
    },
    renderSpec: (spec, overlay) => specs.renderSpec(spec, overlay),
    svgToPng: (svg) => specs.svgToPng(svg),
    takeCompileWarnings: () => specs.takeCompileWarnings(),
    get threadId() {
      return specs.threadId;
    },
    close: () => specs.close(),
  };
}

function withSummary(rendered: RenderedChart, built: BuiltChart): RenderedChartWithSummary {
  return {
    png: rendered.png,
    width: rendered.width,
    height: rendered.height,
    summary: built.summary,
    enough: built.enough,
    // read lazily: a dense chart builds its SVG (with the dots as an embedded image) only when asked
    get svg(): string {
      return rendered.svg;
    },
  };
}

export type { BuiltChart, ChartContext } from './chart-types.ts';
export type { AgingInput, CfdInput, DistributionInput, ForecastInput, ScatterInput, StagesInput, ThroughputInput, XmrInput };
export { XMR_SERIES_KINDS, type XmrSeriesKind } from './xmr-wording.ts';
export { preloadChartLibraries } from './render.ts';
