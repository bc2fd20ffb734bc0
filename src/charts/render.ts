import type { ResvgRenderOptions } from '@resvg/resvg-js';
import type * as Vega from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import { PIXEL_RATIO } from './pixel-ratio.ts';
import { createPngEncoder, type PngEncoder } from './png-encode.ts';
import { CLOSED_MESSAGE, createResvgThread } from './resvg-thread.ts';
import { drawOverlay, paintOverlay, type PlotOverlay } from './plot-overlay.ts';
import { FONT_FILES, isBoldWeight, measureText } from './text-width.ts';
import { textToPaths } from './text-to-path.ts';
import { FONT_FAMILY } from './theme.ts';

export interface RenderedChart {
  png: Buffer;
  svg: string;
  /** PNG size in device pixels (2x the SVG size) */
  width: number;
  height: number;
}

/** Resvg options, built once: the DejaVu font files from npm, never the host's fonts. */
const RESVG_OPTIONS: ResvgRenderOptions = {
  fitTo: { mode: 'zoom', value: PIXEL_RATIO },
  background: 'white',
  font: {
    fontFiles: [FONT_FILES.regular, FONT_FILES.bold],
    loadSystemFonts: false,
    defaultFontFamily: FONT_FAMILY,
    sansSerifFamily: FONT_FAMILY,
  },
  shapeRendering: 2,
  textRendering: 1,
  // no language-specific shaping: about twice as fast for our Latin labels
  languages: [],
};

interface TextItem {
  fontSize?: number;
  fontWeight?: string | number;
}

/** How many compile warnings a renderer keeps (the newest). */
const MAX_WARNINGS = 100;

/**
 * Vega-Lite's logger, writing its compile warnings (a dropped encoding, conflicting scales point
 * at a chart bug) into `warnings`, so tests can assert there are none instead of the bot printing
 * them to its log.
 */
function warningLogger(warnings: string[]) {
  return {
    level(): number {
      return 2;
    },
    warn(...messages: unknown[]) {
      warnings.push(messages.map(String).join(' '));
      if (warnings.length > MAX_WARNINGS) warnings.shift();
      return this;
    },
    info() {
      return this;
    },
    debug() {
      return this;
    },
    error(...messages: unknown[]) {
      throw new Error(`Vega-Lite could not compile a chart: ${messages.map(String).join(' ')}`);
    },
  };
}

/** Vega's text width, from the DejaVu advance widths the PNG is drawn with. */
function dejaVuWidth(item: TextItem, text: unknown): number {
  const line = text == null ? '' : String(text).trim();
  const size = item.fontSize != null ? Number(item.fontSize) || 0 : 11;
  return line && size > 0 ? measureText(line, size, isBoldWeight(item.fontWeight)) : 0;
}

type Libraries = { vega: typeof Vega; compile: typeof import('vega-lite').compile };
let libraries: Promise<Libraries> | undefined;

/**
 * Vega and Vega-Lite, loaded at the first chart (or by preloadChartLibraries): they take ~0.5 s
 * and ~25 MB to load, which every CLI command that draws nothing (import, verify, migrate) would
 * pay at start. Loaded once; Vega measures text with our widths from then on.
 */
function chartLibraries(): Promise<Libraries> {
  libraries ??= Promise.all([import('vega'), import('vega-lite')]).then(([vega, vegaLite]) => {
    installTextMetrics(vega);
    return { vega, compile: vegaLite.compile };
  });
  return libraries;
}

/** Loads Vega and Vega-Lite now, so the first chart does not wait for them (the bot calls it at start). */
export async function preloadChartLibraries(): Promise<void> {
  await chartLibraries();
}

/** Makes Vega measure text with the DejaVu widths the PNG will be drawn with. */
function installTextMetrics(vega: typeof Vega): void {
  // Vega has no supported way to measure text without a canvas: it re-exports vega-scenegraph's
  // textMetrics (untyped) and we replace its width estimate. If a Vega upgrade moves it, fail
  // here, loudly, rather than lay out every chart with wrong text widths
  // (test/charts/render.test.ts checks that Vega's layout really uses these widths).
  const metrics = (vega as unknown as { textMetrics?: { width?: unknown } }).textMetrics;
  if (typeof metrics?.width !== 'function') {
    throw new Error('vega.textMetrics.width is gone: this Vega version changed how it measures text. Pin vega to the version in package-lock.json or port installTextMetrics in src/charts/render.ts.');
  }
  // idempotent: Vega's module holds the measure, so every renderer installs the same function
  if (metrics.width !== dejaVuWidth) (metrics as { width: typeof dejaVuWidth }).width = dejaVuWidth;
}

/** Vega-Lite → Vega → SVG string (headless, no canvas), and where the plot's origin is in it. */
async function specToSvgWithOrigin(spec: TopLevelSpec, warnings: string[]): Promise<{ svg: string; origin: [number, number] }> {
  const { vega, compile } = await chartLibraries();
  const compiled = compile(spec, { logger: warningLogger(warnings) as never }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: vega.Error });
  try {
    const svg = await view.toSVG();
    // the plot's top-left corner: the view origin plus the padding around everything
    const [x, y] = view.origin();
    const padding = view.padding() as { left?: number; top?: number };
    return { svg, origin: [x + (padding.left ?? 0), y + (padding.top ?? 0)] };
  } finally {
    view.finalize();
  }
}

/** Vega-Lite → Vega → SVG string (headless, no canvas); compile warnings go to `warnings`. */
export async function specToSvg(spec: TopLevelSpec, warnings: string[] = []): Promise<string> {
  return (await specToSvgWithOrigin(spec, warnings)).svg;
}

/** The SVG with the overlay embedded as an image over the plot (what the PNG shows). */
function svgWithOverlay(svg: string, png: Buffer, overlay: PlotOverlay, origin: [number, number]): string {
  const image =
    `<image x="${origin[0]}" y="${origin[1]}" width="${overlay.width}" height="${overlay.height}" preserveAspectRatio="none" ` +
    `href="data:image/png;base64,${png.toString('base64')}"/>`;
  const end = svg.lastIndexOf('</svg>');
  return `${svg.slice(0, end)}${image}${svg.slice(end)}`;
}

/** Draws Vega-Lite specs and SVG into 2x PNGs on a resvg thread of its own. */
export interface SpecRenderer {
  /**
   * Renders a Vega-Lite spec to SVG and to a 2x PNG. An overlay (dense dots) is drawn straight into
   * the pixels over the plot; the SVG then gets it as an embedded image, built only when read.
   * @example const { png, width } = await renderer.renderSpec(scatterChart(input, ctx).spec)
   */
  renderSpec(spec: TopLevelSpec, overlay?: PlotOverlay, options?: { maxPixels?: number }): Promise<RenderedChart>;
  /** SVG → PNG at 2x. */
  svgToPng(svg: string): Promise<{ png: Buffer; width: number; height: number }>;
  /** The Vega-Lite compile warnings of the charts rendered since the last call (at most 100), then forgets them. */
  takeCompileWarnings(): string[];
  /** The resvg thread's id while it runs; null before the first chart and after close. */
  readonly threadId: number | null;
  /** Refuses new charts, lets the charts asked for finish, then ends the resvg thread. */
  close(): Promise<void>;
}

/**
 * The zoom that draws `svg` at 2x, or lower when its longer side would pass `maxPixels` (the
 * rendered size is the SVG's width and height attributes times the zoom).
 */
function zoomWithin(svg: string, maxPixels: number | undefined): number {
  if (maxPixels === undefined) return PIXEL_RATIO;
  const root = /<svg\b[^>]*>/.exec(svg)?.[0] ?? '';
  const side = (name: string) => Number(new RegExp(`\\s${name}="([\\d.]+)"`).exec(root)?.[1] ?? 0);
  const longer = Math.max(side('width'), side('height'));
  return longer * PIXEL_RATIO > maxPixels ? Math.floor((maxPixels / longer) * 1000) / 1000 : PIXEL_RATIO;
}

/**
 * A renderer with its own resvg thread (src/charts/resvg-thread.ts, started at its first chart)
 * and its own PNG memory, drawn with the bundled DejaVu fonts. The background is opaque white,
 * so resvg's premultiplied pixels equal straight RGBA.
 * @example const renderer = createSpecRenderer(); const { png } = await renderer.svgToPng(svg); await renderer.close();
 */
export function createSpecRenderer(): SpecRenderer {
  const thread = createResvgThread();
  const encode: PngEncoder = createPngEncoder();
  const warnings: string[] = [];
  /** SVG → pixels at `zoom` (2x unless told); `use` gets the pixels and must be done with them when it returns. */
  const withSvgPixels = <T>(svg: string, zoom: number, use: (rgba: Uint8Array, width: number, height: number) => T): Promise<T> =>
    thread.withPixels(textToPaths(svg), zoom === PIXEL_RATIO ? RESVG_OPTIONS : { ...RESVG_OPTIONS, fitTo: { mode: 'zoom', value: zoom } }, use);
  const toPng = (svg: string, zoom: number) => withSvgPixels(svg, zoom, (rgba, width, height) => ({ png: encode(rgba, width, height), width, height }));
  return {
    svgToPng: (svg) => toPng(svg, PIXEL_RATIO),
    async renderSpec(spec, overlay, options = {}) {
      if (thread.closed) throw new Error(CLOSED_MESSAGE); // before Vega's work, not after it
      const { svg, origin } = await specToSvgWithOrigin(spec, warnings);
      const zoom = zoomWithin(svg, options.maxPixels);
      if (!overlay) return { svg, ...(await toPng(svg, zoom)) };
      const { png, width, height } = await withSvgPixels(svg, zoom, (rgba, width, height) => {
        paintOverlay(rgba, width, overlay, zoom, Math.round(origin[0] * zoom), Math.round(origin[1] * zoom));
        return { png: encode(rgba, width, height), width, height };
      });
      let full: string | null = null;
      return {
        png,
        width,
        height,
        get svg(): string {
          if (full === null) {
            const dots = drawOverlay(overlay, PIXEL_RATIO);
            full = svgWithOverlay(svg, encode(dots.rgba, dots.width, dots.height), overlay, origin);
          }
          return full;
        },
      };
    },
    takeCompileWarnings: () => warnings.splice(0),
    get threadId() {
      return thread.threadId;
    },
    close: () => thread.close(),
  };
}
