import { encodePng } from './png-encode.ts';

/** One dot in plot coordinates (CSS pixels from the plot's top-left corner). */
export interface RasterDot {
  x: number;
  y: number;
  /** `#RRGGBB` */
  color: string;
}

export interface DotRasterOptions {
  /** plot size in CSS pixels */
  width: number;
  height: number;
  /** dot radius in CSS pixels */
  radius: number;
  opacity: number;
  /** device pixels per CSS pixel */
  pixelRatio: number;
}

function parseHex(color: string): [number, number, number] {
  const value = Number.parseInt(color.slice(1), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

/**
 * Draws many dots straight into pixels and returns them as a PNG data URI, for charts with
 * thousands of dots (a 20,000-item scatterplot): one image instead of 20,000 SVG elements keeps
 * rendering fast. Dots are anti-aliased discs drawn in order with source-over blending, so
 * the picture matches what SVG circles of the same radius, colour and opacity would give.
 * @example rasterizeDots([{ x: 10, y: 10, color: '#0072B2' }], { width: 20, height: 20, radius: 3, opacity: 1, pixelRatio: 2 })
 *   // 'data:image/png;base64,iVBORw0KGgo...'
 */
export function rasterizeDots(dots: readonly RasterDot[], options: DotRasterOptions): string {
  const ratio = options.pixelRatio;
  const width = Math.ceil(options.width * ratio);
  const height = Math.ceil(options.height * ratio);
  // premultiplied RGBA in 0..1
  const premultiplied = new Float32Array(width * height * 4);
  const r = options.radius * ratio;
  const colors = new Map<string, [number, number, number]>();
  for (const dot of dots) {
    let rgb = colors.get(dot.color);
    if (!rgb) {
      const [red, green, blue] = parseHex(dot.color);
      rgb = [red / 255, green / 255, blue / 255];
      colors.set(dot.color, rgb);
    }
    const cx = dot.x * ratio;
    const cy = dot.y * ratio;
    const x0 = Math.max(0, Math.floor(cx - r - 1));
    const x1 = Math.min(width - 1, Math.ceil(cx + r + 1));
    const y0 = Math.max(0, Math.floor(cy - r - 1));
    const y1 = Math.min(height - 1, Math.ceil(cy + r + 1));
    for (let py = y0; py <= y1; py++) {
      const dy = py + 0.5 - cy;
      for (let px = x0; px <= x1; px++) {
        const dx = px + 0.5 - cx;
        const coverage = r + 0.5 - Math.sqrt(dx * dx + dy * dy);
        if (coverage <= 0) continue;
        const alpha = (coverage >= 1 ? 1 : coverage) * options.opacity;
        const i = (py * width + px) * 4;
        const keep = 1 - alpha;
        premultiplied[i] = rgb[0] * alpha + premultiplied[i] * keep;
        premultiplied[i + 1] = rgb[1] * alpha + premultiplied[i + 1] * keep;
        premultiplied[i + 2] = rgb[2] * alpha + premultiplied[i + 2] * keep;
        premultiplied[i + 3] = alpha + premultiplied[i + 3] * keep;
      }
    }
  }
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < rgba.length; i += 4) {
    const a = premultiplied[i + 3];
    if (a <= 0) continue;
    rgba[i] = Math.round((premultiplied[i] / a) * 255);
    rgba[i + 1] = Math.round((premultiplied[i + 1] / a) * 255);
    rgba[i + 2] = Math.round((premultiplied[i + 2] / a) * 255);
    rgba[i + 3] = Math.round(a * 255);
  }
  return `data:image/png;base64,${encodePng(rgba, width, height, 1).toString('base64')}`;
}
