import type { FontOutlines } from './glyph-outlines.ts';
import { chartFonts, isBoldWeight, MISSING_GLYPH_EM } from './text-width.ts';

/**
 * Turns the `<text>` elements of a Vega SVG into `<path>` outlines drawn from the DejaVu glyphs,
 * before resvg rasterizes it. resvg lays text out glyph by glyph and re-reads the font file each
 * time, which costs about a millisecond per label; paths cost almost nothing. The layout is the
 * one Vega measured (same advance widths, no kerning), so labels sit exactly where Vega put them.
 * Text this does not understand (tspans, dx/dy, another font) is left for resvg to draw.
 */

const glyphCache = new Map<string, string>();
const ITALIC_SKEW = 0.2;

const round = (v: number): number => Math.round(v * 100) / 100;

/** A glyph's outline at a size, as relative path commands starting from the pen position. */
function glyphPath(font: FontOutlines, bold: boolean, glyph: number, size: number, italic: boolean): string {
  const key = `${bold ? 'b' : 'r'}${italic ? 'i' : ''}${glyph}@${size}`;
  const cached = glyphCache.get(key);
  if (cached !== undefined) return cached;
  const scale = size / font.unitsPerEm;
  let d = '';
  let cx = 0;
  let cy = 0;
  const rel = (x: number, y: number): string => `${round(x - cx)},${round(y - cy)}`;
  for (const contour of font.contours(glyph)) {
    if (contour.length === 0) continue;
    const pts = contour.map((p) => {
      const y = -p.y * scale;
      return { x: round(p.x * scale - (italic ? y * ITALIC_SKEW : 0)), y: round(y), on: p.on };
    });
    let first = pts.findIndex((p) => p.on);
    if (first < 0) {
      // all off-curve: start halfway between the first two
      pts.unshift({ x: (pts[0].x + pts[1 % pts.length].x) / 2, y: (pts[0].y + pts[1 % pts.length].y) / 2, on: true });
      first = 0;
    }
    const ordered = [...pts.slice(first), ...pts.slice(0, first)];
    const start = ordered[0];
    d += `m${rel(start.x, start.y)}`;
    cx = start.x;
    cy = start.y;
    let off: { x: number; y: number } | null = null;
    for (let i = 1; i <= ordered.length; i++) {
      const p = ordered[i % ordered.length];
      if (p.on) {
        if (off) d += `q${rel(off.x, off.y)} ${rel(p.x, p.y)}`;
        else d += `l${rel(p.x, p.y)}`;
        cx = p.x;
        cy = p.y;
        off = null;
      } else if (off) {
        const mid = { x: (off.x + p.x) / 2, y: (off.y + p.y) / 2 };
        d += `q${rel(off.x, off.y)} ${rel(mid.x, mid.y)}`;
        cx = mid.x;
        cy = mid.y;
        off = p;
      } else {
        off = p;
      }
    }
    d += 'z';
    cx = start.x;
    cy = start.y;
  }
  glyphCache.set(key, d);
  return d;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'", '#x27': "'" };
const decode = (text: string): string => text.replace(/&(amp|lt|gt|quot|apos|#39|#x27);/g, (_, name: string) => ENTITIES[name]);
const PAINT = ['fill', 'fill-opacity', 'opacity', 'stroke', 'stroke-width', 'stroke-opacity', 'stroke-linejoin'];

/**
 * The SVG with its text drawn as glyph outlines (see the file comment).
 * @example textToPaths('<svg ...><text transform="translate(10,20)" font-size="12px">Hi</text></svg>')
 *   // '<svg ...><path transform="translate(10,20)" d="M0,0m1.1,-8.75..." fill="#000"/></svg>'
 */
export function textToPaths(svg: string): string {
  return svg.replace(/<text([^>]*)>([^<]*)<\/text>/g, (whole: string, attributeText: string, content: string) => {
    const attributes = new Map<string, string>();
    for (const m of attributeText.matchAll(/([a-zA-Z:-]+)="([^"]*)"/g)) attributes.set(m[1], m[2]);
    const family = attributes.get('font-family') ?? 'DejaVu Sans';
    if (!family.includes('DejaVu Sans') || attributes.has('dx') || attributes.has('dy')) return whole;
    const text = decode(content);
    if (text.trim() === '') return '';
    const size = Number.parseFloat(attributes.get('font-size') ?? '11');
    const bold = isBoldWeight(attributes.get('font-weight') ?? 'normal');
    const italic = attributes.get('font-style') === 'italic' || attributes.get('font-style') === 'oblique';
    const font = bold ? chartFonts().bold : chartFonts().regular;
    const scale = size / font.unitsPerEm;
    let width = 0;
    const glyphs: number[] = [];
    for (const ch of text) {
      const code = ch.codePointAt(0) ?? 0;
      const glyph = code < 65536 ? font.glyphOf[code] : 0;
      glyphs.push(glyph);
      width += glyph ? font.advance[glyph] * scale : MISSING_GLYPH_EM * size;
    }
    const anchor = attributes.get('text-anchor');
    let pen = (anchor === 'middle' ? -width / 2 : anchor === 'end' ? -width : 0) + Number.parseFloat(attributes.get('x') ?? '0');
    const baseline = Number.parseFloat(attributes.get('y') ?? '0');
    let d = '';
    for (const glyph of glyphs) {
      if (glyph) {
        const outline = glyphPath(font, bold, glyph, size, italic);
        if (outline) d += `M${round(pen)},${round(baseline)}${outline}`;
        pen += font.advance[glyph] * scale;
      } else {
        pen += MISSING_GLYPH_EM * size;
      }
    }
    if (!d) return '';
    const transform = attributes.get('transform');
    let paint = attributes.has('fill') ? '' : ' fill="#000"';
    for (const name of PAINT) {
      const value = attributes.get(name);
      if (value !== undefined) paint += ` ${name}="${value}"`;
    }
    return `<path${transform ? ` transform="${transform}"` : ''} d="${d}"${paint}/>`;
  });
}
