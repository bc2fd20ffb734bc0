import { readFileSync } from 'node:fs';

/**
 * Glyph outlines and advance widths read from a TrueType font file (cmap format 4, hmtx, loca, glyf),
 * so charts can draw text as paths and measure it exactly. Only what DejaVu Sans needs: simple and
 * composite glyphs, BMP code points.
 *
 * Why not a font library: measured on this machine, opentype.js 2.0 takes ~115 ms and ~22 MB of
 * heap per face to parse DejaVu Sans (44 MB heap, 77 MB RSS for regular and bold), against
 * ~2 ms and ~2 MB here; the weekly check-in's budget is 300 MB for the whole bot. resvg's own text
 * drawing costs about a millisecond per label (see text-to-path.ts).
 */

interface Point {
  x: number;
  y: number;
  on: boolean;
}

export interface FontOutlines {
  unitsPerEm: number;
  /** glyph index of each BMP code point (0: missing) */
  glyphOf: Uint16Array;
  /** advance width of each glyph, font units */
  advance: Uint16Array;
  /** contours of a glyph, font units (y up); cached */
  contours(glyph: number): Point[][];
}

export function readFontOutlines(path: string): FontOutlines {
  const font = readFileSync(path);
  const tables = new Map<string, number>();
  const numTables = font.readUInt16BE(4);
  for (let i = 0; i < numTables; i++) {
    const record = 12 + i * 16;
    tables.set(font.toString('latin1', record, record + 4), font.readUInt32BE(record + 8));
  }
  const table = (tag: string): number => {
    const offset = tables.get(tag);
    if (offset === undefined) throw new Error(`The chart font ${path} has no ${tag} table: reinstall the npm package dejavu-fonts-ttf.`);
    return offset;
  };
  const head = table('head');
  const unitsPerEm = font.readUInt16BE(head + 18);
  const longLoca = font.readInt16BE(head + 50) === 1;
  const numGlyphs = font.readUInt16BE(table('maxp') + 4);
  const numberOfHMetrics = font.readUInt16BE(table('hhea') + 34);
  const hmtx = table('hmtx');
  const advance = new Uint16Array(numGlyphs);
  for (let g = 0; g < numGlyphs; g++) advance[g] = font.readUInt16BE(hmtx + 4 * Math.min(g, numberOfHMetrics - 1));
  const loca = table('loca');
  const glyf = table('glyf');
  const glyphStart = (g: number): number => (longLoca ? font.readUInt32BE(loca + g * 4) : font.readUInt16BE(loca + g * 2) * 2);

  const glyphOf = new Uint16Array(65536);
  const cmap = table('cmap');
  for (let i = 0, n = font.readUInt16BE(cmap + 2); i < n; i++) {
    const record = cmap + 4 + i * 8;
    if (font.readUInt16BE(record) !== 3 || font.readUInt16BE(record + 2) !== 1) continue;
    const sub = cmap + font.readUInt32BE(record + 4);
    if (font.readUInt16BE(sub) !== 4) continue;
    const segCount = font.readUInt16BE(sub + 6) / 2;
    const ends = sub + 14;
    const starts = ends + segCount * 2 + 2;
    const deltas = starts + segCount * 2;
    const rangeOffsets = deltas + segCount * 2;
    for (let s = 0; s < segCount; s++) {
      const end = font.readUInt16BE(ends + s * 2);
      const start = font.readUInt16BE(starts + s * 2);
      const delta = font.readInt16BE(deltas + s * 2);
      const rangeAt = rangeOffsets + s * 2;
      const rangeOffset = font.readUInt16BE(rangeAt);
      for (let code = start; code <= end && code < 0xffff; code++) {
        let glyph = rangeOffset === 0 ? (code + delta) & 0xffff : font.readUInt16BE(rangeAt + rangeOffset + (code - start) * 2);
        if (rangeOffset !== 0 && glyph !== 0) glyph = (glyph + delta) & 0xffff;
        glyphOf[code] = glyph;
      }
    }
  }

  const cache = new Map<number, Point[][]>();
  const contours = (g: number, depth = 0): Point[][] => {
    const cached = cache.get(g);
    if (cached) return cached;
    const result: Point[][] = [];
    const start = glyf + glyphStart(g);
    if (g < numGlyphs && glyphStart(g + 1) > glyphStart(g) && depth < 8) {
      const count = font.readInt16BE(start);
      if (count >= 0) readSimple(font, start, count, result);
      else readComposite(font, start, (child) => contours(child, depth + 1), result);
    }
    cache.set(g, result);
    return result;
  };
  return { unitsPerEm, glyphOf, advance, contours: (g) => contours(g) };
}

function readSimple(font: Buffer, start: number, count: number, out: Point[][]): void {
  let at = start + 10;
  const ends: number[] = [];
  for (let c = 0; c < count; c++, at += 2) ends.push(font.readUInt16BE(at));
  const total = count > 0 ? ends[count - 1] + 1 : 0;
  at += 2 + font.readUInt16BE(at); // skip the instructions
  const flags = new Uint8Array(total);
  for (let i = 0; i < total; ) {
    const flag = font[at++];
    flags[i++] = flag;
    if (flag & 8) for (let r = font[at++]; r > 0; r--) flags[i++] = flag;
  }
  const xs = new Int32Array(total);
  const ys = new Int32Array(total);
  let value = 0;
  for (let i = 0; i < total; i++) {
    const f = flags[i];
    if (f & 2) value += f & 16 ? font[at++] : -font[at++];
    else if (!(f & 16)) {
      value += font.readInt16BE(at);
      at += 2;
    }
    xs[i] = value;
  }
  value = 0;
  for (let i = 0; i < total; i++) {
    const f = flags[i];
    if (f & 4) value += f & 32 ? font[at++] : -font[at++];
    else if (!(f & 32)) {
      value += font.readInt16BE(at);
      at += 2;
    }
    ys[i] = value;
  }
  let first = 0;
  for (const end of ends) {
    const contour: Point[] = [];
    for (let i = first; i <= end; i++) contour.push({ x: xs[i], y: ys[i], on: (flags[i] & 1) === 1 });
    out.push(contour);
    first = end + 1;
  }
}

function readComposite(font: Buffer, start: number, child: (glyph: number) => Point[][], out: Point[][]): void {
  let at = start + 10;
  for (;;) {
    const flags = font.readUInt16BE(at);
    const glyph = font.readUInt16BE(at + 2);
    at += 4;
    let dx = 0;
    let dy = 0;
    if (flags & 1) {
      dx = font.readInt16BE(at);
      dy = font.readInt16BE(at + 2);
      at += 4;
    } else {
      dx = font.readInt8(at);
      dy = font.readInt8(at + 1);
      at += 2;
    }
    if (!(flags & 2)) dx = dy = 0; // point-matching composites: rare in Latin text, placed at the origin
    let a = 1, b = 0, c = 0, d = 1;
    const f2dot14 = (offset: number): number => font.readInt16BE(offset) / 16384;
    if (flags & 8) {
      a = d = f2dot14(at);
      at += 2;
    } else if (flags & 0x40) {
      a = f2dot14(at);
      d = f2dot14(at + 2);
      at += 4;
    } else if (flags & 0x80) {
      a = f2dot14(at);
      b = f2dot14(at + 2);
      c = f2dot14(at + 4);
      d = f2dot14(at + 6);
      at += 8;
    }
    for (const contour of child(glyph)) {
      out.push(contour.map((p) => ({ x: a * p.x + c * p.y + dx, y: b * p.x + d * p.y + dy, on: p.on })));
    }
    if (!(flags & 0x20)) break;
  }
}
