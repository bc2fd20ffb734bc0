/**
 * Reading back the PNGs the renderer writes (8-bit RGBA, filter 0 on every row, as
 * src/charts/png-encode.ts encodes them), so tests can look at pixels.
 */
import { inflateSync } from 'node:zlib';
import { readPngSize } from '../../src/charts/png-encode.ts';

export const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function decodePng(png: Buffer): { width: number; height: number; rgba: Buffer } {
  const { width, height } = readPngSize(png);
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    if (type === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const rowBytes = width * 4;
  const rgba = Buffer.alloc(rowBytes * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (rowBytes + 1)];
    if (filter !== 0) throw new Error(`row ${y} uses PNG filter ${filter}; this reader only handles filter 0`);
    raw.copy(rgba, y * rowBytes, y * (rowBytes + 1) + 1, (y + 1) * (rowBytes + 1));
  }
  return { width, height, rgba };
}

/** How many pixels are within `tolerance` of an `#RRGGBB` colour. */
export function countColor(image: { rgba: Buffer }, hex: string, tolerance = 12): number {
  const value = Number.parseInt(hex.slice(1), 16);
  const r = (value >> 16) & 255;
  const g = (value >> 8) & 255;
  const b = value & 255;
  let count = 0;
  for (let i = 0; i < image.rgba.length; i += 4) {
    if (Math.abs(image.rgba[i] - r) <= tolerance && Math.abs(image.rgba[i + 1] - g) <= tolerance && Math.abs(image.rgba[i + 2] - b) <= tolerance) count++;
  }
  return count;
}

/** How many pixels are dark (all channels below 100): drawn text and lines. */
export function countDark(image: { rgba: Buffer }): number {
  let count = 0;
  for (let i = 0; i < image.rgba.length; i += 4) if (image.rgba[i] < 100 && image.rgba[i + 1] < 100 && image.rgba[i + 2] < 100) count++;
  return count;
}
