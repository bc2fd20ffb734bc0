/**
 * A raster layer drawn straight into a chart's pixels, for charts with thousands of marks (a
 * 20,000-item scatterplot): dots, then dashed horizontal rules on top, in plot coordinates.
 * Drawing them as pixels instead of 20,000 SVG elements keeps rendering fast; the result looks
 * the same as the SVG marks would (anti-aliased discs, source-over blending).
 */

/** One dot in plot coordinates (CSS pixels from the plot's top-left corner). */
export interface OverlayDot {
  x: number;
  y: number;
  /** `#RRGGBB` */
  color: string;
}

/** A dashed horizontal line across the plot at `y` (CSS pixels). */
export interface OverlayRule {
  y: number;
  color: string;
  width: number;
  /** dash and gap lengths, CSS pixels */
  dash: [number, number];
}

export interface PlotOverlay {
  /** plot size in CSS pixels */
  width: number;
  height: number;
  dots: OverlayDot[];
  radius: number;
  opacity: number;
  rules: OverlayRule[];
}

/** Premultiplied RGBA (0..1) of the overlay, `pixelRatio` device pixels per CSS pixel. */
export interface OverlayPixels {
  width: number;
  height: number;
  premultiplied: Float32Array;
}

function parseHex(color: string): [number, number, number] {
  const value = Number.parseInt(color.slice(1), 16);
  return [((value >> 16) & 255) / 255, ((value >> 8) & 255) / 255, (value & 255) / 255];
}

function blend(p: Float32Array, i: number, rgb: readonly number[], alpha: number): void {
  const keep = 1 - alpha;
  p[i] = rgb[0] * alpha + p[i] * keep;
  p[i + 1] = rgb[1] * alpha + p[i + 1] * keep;
  p[i + 2] = rgb[2] * alpha + p[i + 2] * keep;
  p[i + 3] = alpha + p[i + 3] * keep;
}

/**
 * Draws the overlay into premultiplied pixels.
 * @example drawOverlay({ width: 20, height: 10, dots: [{ x: 5, y: 5, color: '#D55E00' }], radius: 3, opacity: 1, rules: [] }, 2)
 */
export function drawOverlay(overlay: PlotOverlay, pixelRatio: number): OverlayPixels {
  const width = Math.ceil(overlay.width * pixelRatio);
  const height = Math.ceil(overlay.height * pixelRatio);
  const p = new Float32Array(width * height * 4);
  const r = overlay.radius * pixelRatio;
  const colors = new Map<string, [number, number, number]>();
  const rgbOf = (color: string): [number, number, number] => {
    let rgb = colors.get(color);
    if (!rgb) colors.set(color, (rgb = parseHex(color)));
    return rgb;
  };
  for (const dot of overlay.dots) {
    const rgb = rgbOf(dot.color);
    const cx = dot.x * pixelRatio;
    const cy = dot.y * pixelRatio;
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
        blend(p, (py * width + px) * 4, rgb, (coverage >= 1 ? 1 : coverage) * overlay.opacity);
      }
    }
  }
  for (const rule of overlay.rules) {
    const rgb = rgbOf(rule.color);
    const top = (rule.y - rule.width / 2) * pixelRatio;
    const bottom = (rule.y + rule.width / 2) * pixelRatio;
    const period = (rule.dash[0] + rule.dash[1]) * pixelRatio;
    const on = rule.dash[0] * pixelRatio;
    for (let py = Math.max(0, Math.floor(top)); py <= Math.min(height - 1, Math.floor(bottom)); py++) {
      // vertical coverage of this pixel row by the line
      const coverage = Math.min(py + 1, bottom) - Math.max(py, top);
      if (coverage <= 0) continue;
      for (let px = 0; px < width; px++) {
        // the dash pattern starts at the right end, as Vega draws a full-width rule from right to left
        if ((width - px - 0.5) % period >= on) continue;
        blend(p, (py * width + px) * 4, rgb, Math.min(1, coverage));
      }
    }
  }
  return { width, height, premultiplied: p };
}

/**
 * Composites overlay pixels over an opaque RGBA image (in place) with the overlay's top-left
 * corner at (left, top) device pixels.
 */
export function compositeOverlay(image: Uint8Array, imageWidth: number, overlay: OverlayPixels, left: number, top: number): void {
  const imageHeight = image.length / 4 / imageWidth;
  const p = overlay.premultiplied;
  for (let y = 0; y < overlay.height; y++) {
    const iy = y + top;
    if (iy < 0 || iy >= imageHeight) continue;
    for (let x = 0; x < overlay.width; x++) {
      const o = (y * overlay.width + x) * 4;
      const a = p[o + 3];
      if (a <= 0) continue;
      const ix = x + left;
      if (ix < 0 || ix >= imageWidth) continue;
      const i = (iy * imageWidth + ix) * 4;
      const keep = 1 - a;
      image[i] = Math.round(p[o] * 255 + image[i] * keep);
      image[i + 1] = Math.round(p[o + 1] * 255 + image[i + 1] * keep);
      image[i + 2] = Math.round(p[o + 2] * 255 + image[i + 2] * keep);
    }
  }
}

/** The overlay as straight RGBA bytes (for a PNG embedded in the SVG). */
export function overlayToRgba(overlay: OverlayPixels): Uint8Array {
  const p = overlay.premultiplied;
  const rgba = new Uint8Array(p.length);
  for (let i = 0; i < p.length; i += 4) {
    const a = p[i + 3];
    if (a <= 0) continue;
    rgba[i] = Math.round((p[i] / a) * 255);
    rgba[i + 1] = Math.round((p[i + 1] / a) * 255);
    rgba[i + 2] = Math.round((p[i + 2] / a) * 255);
    rgba[i + 3] = Math.round(a * 255);
  }
  return rgba;
}
