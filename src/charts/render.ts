import type { ResvgRenderOptions } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { PIXEL_RATIO } from './pixel-ratio.ts';
import { encodePng } from './png-encode.ts';
import { withPixels } from './resvg-thread.ts';
import { drawOverlay, paintOverlay, type OverlayPixels, type PlotOverlay } from './plot-overlay.ts';
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

/**
 * Vega-Lite's compile warnings (a dropped encoding, conflicting scales) point at a chart bug:
 * collected here so tests can assert there are none, instead of printing to the bot's log.
 */
export const compileWarnings: string[] = [];
const warningLogger = {
  level(): number {
    return 2;
  },
  warn(...messages: unknown[]) {
    compileWarnings.push(messages.map(String).join(' '));
    if (compileWarnings.length > 100) compileWarnings.shift();
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

let metricsInstalled = false;

/** Makes Vega measure text with the DejaVu widths the PNG will be drawn with. */
function installTextMetrics(): void {
  if (metricsInstalled) return;
  // Vega has no supported way to measure text without a canvas: it re-exports vega-scenegraph's
  // textMetrics (untyped) and we replace its width estimate. If a Vega upgrade moves it, fail
  // here, loudly, rather than lay out every chart with wrong text widths
  // (test/charts/render.test.ts checks that Vega's layout really uses these widths).
  const metrics = (vega as unknown as { textMetrics?: { width?: unknown } }).textMetrics;
  if (typeof metrics?.width !== 'function') {
    throw new Error('vega.textMetrics.width is gone: this Vega version changed how it measures text. Pin vega to the version in package-lock.json or port installTextMetrics in src/charts/render.ts.');
  }
  (metrics as { width: (item: TextItem, text: unknown) => number }).width = (item, text) => {
    const line = text == null ? '' : String(text).trim();
    const size = item.fontSize != null ? Number(item.fontSize) || 0 : 11;
    return line && size > 0 ? measureText(line, size, isBoldWeight(item.fontWeight)) : 0;
  };
  metricsInstalled = true;
}

/** Vega-Lite → Vega → SVG string (headless, no canvas), and where the plot's origin is in it. */
async function specToSvgWithOrigin(spec: TopLevelSpec): Promise<{ svg: string; origin: [number, number] }> {
  installTextMetrics();
  const compiled = compile(spec, { logger: warningLogger as never }).spec;
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

/** Vega-Lite → Vega → SVG string (headless, no canvas). */
export async function specToSvg(spec: TopLevelSpec): Promise<string> {
  return (await specToSvgWithOrigin(spec)).svg;
}

/**
 * SVG → 2x pixels with resvg (on its own thread, src/charts/resvg-thread.ts) and the bundled
 * DejaVu fonts; `use` gets the pixels and must be done with them when it returns. The
 * background is opaque white, so resvg's premultiplied pixels equal straight RGBA.
 */
function withSvgPixels<T>(svg: string, use: (rgba: Uint8Array, width: number, height: number) => T): Promise<T> {
  return withPixels(textToPaths(svg), RESVG_OPTIONS, use);
}

/** SVG → PNG at 2x. */
export async function svgToPng(svg: string): Promise<{ png: Buffer; width: number; height: number }> {
  return withSvgPixels(svg, (rgba, width, height) => ({ png: encodePng(rgba, width, height), width, height }));
}

/** The SVG with the overlay embedded as an image over the plot (what the PNG shows). */
function svgWithOverlay(svg: string, pixels: OverlayPixels, overlay: PlotOverlay, origin: [number, number]): string {
  const png = encodePng(pixels.rgba, pixels.width, pixels.height);
  const image =
    `<image x="${origin[0]}" y="${origin[1]}" width="${overlay.width}" height="${overlay.height}" preserveAspectRatio="none" ` +
    `href="data:image/png;base64,${png.toString('base64')}"/>`;
  const end = svg.lastIndexOf('</svg>');
  return `${svg.slice(0, end)}${image}${svg.slice(end)}`;
}

/**
 * Renders a Vega-Lite spec to SVG and to a 2x PNG. An overlay (dense dots) is drawn straight into
 * the pixels over the plot; the SVG then gets it as an embedded image, built only when read.
 * @example const { png, width } = await renderSpec(scatterChart(input, ctx).spec)
 */
export async function renderSpec(spec: TopLevelSpec, overlay?: PlotOverlay): Promise<RenderedChart> {
  const { svg, origin } = await specToSvgWithOrigin(spec);
  if (!overlay) return { svg, ...(await svgToPng(svg)) };
  const { png, width, height } = await withSvgPixels(svg, (rgba, width, height) => {
    paintOverlay(rgba, width, overlay, PIXEL_RATIO, Math.round(origin[0] * PIXEL_RATIO), Math.round(origin[1] * PIXEL_RATIO));
    return { png: encodePng(rgba, width, height), width, height };
  });
  let full: string | null = null;
  return {
    png,
    width,
    height,
    get svg(): string {
      full ??= svgWithOverlay(svg, drawOverlay(overlay, PIXEL_RATIO), overlay, origin);
      return full;
    },
  };
}
