import { renderAsync, type ResvgRenderOptions } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { PIXEL_RATIO } from './pixel-ratio.ts';
import { encodePng } from './png-encode.ts';
import { FONT_FILES, isBoldWeight, measureText } from './text-width.ts';
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
};

interface TextItem {
  fontSize?: number;
  fontWeight?: string | number;
}

let metricsInstalled = false;

/** Makes Vega measure text with the DejaVu widths the PNG will be drawn with. */
function installTextMetrics(): void {
  if (metricsInstalled) return;
  // vega re-exports vega-scenegraph's textMetrics, but its typings omit it
  const metrics = (vega as unknown as { textMetrics: unknown }).textMetrics as { width: (item: TextItem, text: unknown) => number };
  metrics.width = (item, text) => {
    const line = text == null ? '' : String(text).trim();
    const size = item.fontSize != null ? Number(item.fontSize) || 0 : 11;
    return line && size > 0 ? measureText(line, size, isBoldWeight(item.fontWeight)) : 0;
  };
  metricsInstalled = true;
}

/** Vega-Lite → Vega → SVG string (headless, no canvas). */
export async function specToSvg(spec: TopLevelSpec): Promise<string> {
  installTextMetrics();
  const compiled = compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: vega.Error });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** SVG → PNG at 2x with resvg (off the main thread) and the bundled DejaVu fonts. */
export async function svgToPng(svg: string): Promise<{ png: Buffer; width: number; height: number }> {
  const image = await renderAsync(svg, RESVG_OPTIONS);
  const { width, height } = image;
  // The background is opaque white, so resvg's premultiplied pixels equal straight RGBA.
  const png = encodePng(image.pixels, width, height);
  return { png, width, height };
}

/**
 * Renders a Vega-Lite spec to SVG and to a 2x PNG.
 * @example const { png, width } = await renderSpec(scatterChart(report, ctx).spec)
 */
export async function renderSpec(spec: TopLevelSpec): Promise<RenderedChart> {
  const svg = await specToSvg(spec);
  return { svg, ...(await svgToPng(svg)) };
}
