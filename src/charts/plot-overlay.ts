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

/** The overlay on its own, as straight RGBA bytes (transparent where nothing is drawn). */
export interface OverlayPixels {
  width: number;
  height: number;
  rgba: Uint8Array;
}

/**
 * Draws the overlay into pixels of its own, transparent where nothing is drawn: the image embedded
 * in the SVG. The same rasterizer as the PNG's (`paintOverlay`), into a transparent image.
 * @example drawOverlay({ width: 20, height: 10, dots: [{ x: 5, y: 5, color: '#D55E00' }], radius: 3, opacity: 1, rules: [] }, 2)
 */
export function drawOverlay(overlay: PlotOverlay, pixelRatio: number): OverlayPixels {
  const width = Math.ceil(overlay.width * pixelRatio);
  const height = Math.ceil(overlay.height * pixelRatio);
  const rgba = new Uint8Array(width * height * 4);
  paintOverlay(rgba, width, overlay, pixelRatio, 0, 0);
  // paintOverlay blends premultiplied: back to straight colour for the PNG
  for (let i = 0; i < rgba.length; i += 4) {
    const a = rgba[i + 3];
    if (a === 0 || a === 255) continue;
    rgba[i] = Math.min(255, Math.round((rgba[i] * 255) / a));
    rgba[i + 1] = Math.min(255, Math.round((rgba[i + 1] * 255) / a));
    rgba[i + 2] = Math.min(255, Math.round((rgba[i + 2] * 255) / a));
  }
  return { width, height, rgba };
}

/** Sub-pixel steps a dot's centre is rounded to when painted with precomputed stamps. */
const STEPS = 4;

/**
 * Coverage stamps of a disc of radius `r` device pixels, one per quarter-pixel offset of its
 * centre: weights 0..256 (already times `opacity`), (2R+1)² each, R = ceil(r) + 1.
 */
function discStamps(r: number, opacity: number): { R: number; stamps: Uint16Array[] } {
  const R = Math.ceil(r) + 1;
  const size = 2 * R + 1;
  const stamps: Uint16Array[] = [];
  for (let qy = 0; qy < STEPS; qy++) {
    for (let qx = 0; qx < STEPS; qx++) {
      const stamp = new Uint16Array(size * size);
      for (let j = 0; j < size; j++) {
        const dy = j - R + 0.5 - qy / STEPS;
        for (let i = 0; i < size; i++) {
          const dx = i - R + 0.5 - qx / STEPS;
          const coverage = Math.min(1, Math.max(0, r + 0.5 - Math.sqrt(dx * dx + dy * dy)));
          stamp[j * size + i] = Math.round(coverage * opacity * 256);
        }
      }
      stamps.push(stamp);
    }
  }
  return { R, stamps };
}

/**
 * Paints the overlay into an RGBA image (in place), its top-left corner at (left, top) device
 * pixels, clipped to the plot; source-over, premultiplied (an opaque image stays opaque, a
 * transparent one gets the overlay's own coverage as alpha). The one rasterizer of overlays.
 */
export function paintOverlay(image: Uint8Array, imageWidth: number, overlay: PlotOverlay, pixelRatio: number, left: number, top: number): void {
  const imageHeight = image.length / 4 / imageWidth;
  const clipRight = Math.min(imageWidth, left + Math.ceil(overlay.width * pixelRatio));
  const clipBottom = Math.min(imageHeight, top + Math.ceil(overlay.height * pixelRatio));
  const { R, stamps } = discStamps(overlay.radius * pixelRatio, overlay.opacity);
  const size = 2 * R + 1;
  // per stamp row, the columns any stamp covers (the disc's corners are empty)
  const spans = new Int32Array(size * 2);
  for (let j = 0; j < size; j++) {
    let from = size;
    let to = 0;
    for (const stamp of stamps) {
      for (let i = 0; i < size; i++) {
        if (stamp[j * size + i] === 0) continue;
        from = Math.min(from, i);
        to = Math.max(to, i + 1);
      }
    }
    spans[j * 2] = from;
    spans[j * 2 + 1] = Math.max(from, to);
  }
  const colors = new Map<string, [number, number, number]>();
  const rgbOf = (color: string): [number, number, number] => {
    let rgb = colors.get(color);
    if (!rgb) {
      const v = Number.parseInt(color.slice(1), 16);
      rgb = [(v >> 16) & 255, (v >> 8) & 255, v & 255];
      colors.set(color, rgb);
    }
    return rgb;
  };
  for (const dot of overlay.dots) {
    const [cr, cg, cb] = rgbOf(dot.color);
    const cx = left + dot.x * pixelRatio;
    const cy = top + dot.y * pixelRatio;
    let bx = Math.floor(cx);
    let by = Math.floor(cy);
    let qx = Math.round((cx - bx) * STEPS);
    let qy = Math.round((cy - by) * STEPS);
    if (qx === STEPS) {
      bx += 1;
      qx = 0;
    }
    if (qy === STEPS) {
      by += 1;
      qy = 0;
    }
    const stamp = stamps[qy * STEPS + qx];
    const x0 = bx - R;
    const y0 = by - R;
    const inside = x0 >= left && y0 >= top && x0 + size <= clipRight && y0 + size <= clipBottom;
    for (let j = 0; j < size; j++) {
      const y = y0 + j;
      if (!inside && (y < top || y >= clipBottom)) continue;
      const row = j * size;
      for (let i = spans[j * 2]; i < spans[j * 2 + 1]; i++) {
        const a = stamp[row + i];
        const x = x0 + i;
        if (!inside && (x < left || x >= clipRight)) continue;
        const k = (y * imageWidth + x) * 4;
        const keep = 256 - a;
        image[k] = (cr * a + image[k] * keep) >> 8;
        image[k + 1] = (cg * a + image[k + 1] * keep) >> 8;
        image[k + 2] = (cb * a + image[k + 2] * keep) >> 8;
        image[k + 3] = (255 * a + image[k + 3] * keep) >> 8;
      }
    }
  }
  for (const rule of overlay.rules) {
    const [cr, cg, cb] = rgbOf(rule.color);
    const ruleTop = top + (rule.y - rule.width / 2) * pixelRatio;
    const ruleBottom = top + (rule.y + rule.width / 2) * pixelRatio;
    const period = (rule.dash[0] + rule.dash[1]) * pixelRatio;
    const on = rule.dash[0] * pixelRatio;
    const width = clipRight - left;
    for (let y = Math.max(top, Math.floor(ruleTop)); y <= Math.min(clipBottom - 1, Math.floor(ruleBottom)); y++) {
      const a = Math.round(Math.min(1, Math.min(y + 1, ruleBottom) - Math.max(y, ruleTop)) * 256);
      if (a <= 0) continue;
      const keep = 256 - a;
      for (let px = 0; px < width; px++) {
        // the dash pattern starts at the right end, as Vega draws a full-width rule from right to left
        if ((width - px - 0.5) % period >= on) continue;
        const k = (y * imageWidth + left + px) * 4;
        image[k] = (cr * a + image[k] * keep) >> 8;
        image[k + 1] = (cg * a + image[k + 1] * keep) >> 8;
        image[k + 2] = (cb * a + image[k + 2] * keep) >> 8;
        image[k + 3] = (255 * a + image[k + 3] * keep) >> 8;
      }
    }
  }
}
