import { describe, expect, it } from 'vitest';
import { formatDateRange, formatNumber, localDateOf, plural } from '../../src/charts/format.ts';
import { niceCeiling } from '../../src/charts/nice-ceiling.ts';
import { spreadLabels } from '../../src/charts/spread-labels.ts';
import { drawOverlay, paintOverlay, type PlotOverlay } from '../../src/charts/plot-overlay.ts';
import { encodePng } from '../../src/charts/png-encode.ts';
import { countColor, decodePng } from './png-pixels.ts';

describe('chart layout helpers', () => {
  it('moves close labels apart and leaves distant ones', () => {
    const placed = spreadLabels([100, 104, 200], 14);
    expect(placed[1] - placed[0]).toBeGreaterThanOrEqual(14 - 0.1);
    expect(placed[2]).toBe(200);
    expect((placed[0] + placed[1]) / 2).toBeCloseTo(102, 0);
    const clamped = spreadLabels([0, 1, 2], 10, 5, 100);
    expect(clamped[0]).toBeGreaterThanOrEqual(5);
    expect(clamped[2] - clamped[1]).toBeGreaterThanOrEqual(9.9);
  });

  it('rounds an axis maximum up with headroom', () => {
    expect(niceCeiling(37)).toBe(40);
    expect(niceCeiling(9)).toBe(10);
    expect(niceCeiling(0)).toBe(1);
    expect(niceCeiling(200)).toBe(250);
    expect(niceCeiling(20)).toBeGreaterThan(20);
  });

  it('formats dates in the stream time zone, numbers and counts', () => {
    expect(localDateOf(Date.UTC(2026, 8, 1, 23), 'Europe/Berlin')).toBe('2026-09-02');
    expect(localDateOf(Date.UTC(2026, 8, 1, 23), 'UTC')).toBe('2026-09-01');
    expect(formatDateRange('2026-09-01', '2026-11-30')).toBe('1 Sep – 30 Nov 2026');
    expect(formatDateRange('2025-12-01', '2026-01-31')).toBe('1 Dec 2025 – 31 Jan 2026');
    expect(formatNumber(14.25)).toBe('14.3');
    expect(formatNumber(-3.04)).toBe('−3');
    expect(formatNumber(-0.01)).toBe('0');
    expect(plural(1, 'item')).toBe('1 item');
    expect(plural(20000, 'item')).toBe('20,000 items');
  });

  it('draws overlay dots where they belong, in their colour, and composites them over an image', () => {
    const overlay: PlotOverlay = {
      width: 20,
      height: 10,
      radius: 3,
      opacity: 1,
      dots: [{ x: 5, y: 5, color: '#D55E00' }],
      rules: [{ y: 2, color: '#333333', width: 1, dash: [6, 4] }],
    };
    const pixels = drawOverlay(overlay, 2);
    const image = decodePng(encodePng(pixels.rgba, pixels.width, pixels.height));
    expect(image.width).toBe(40);
    const at = (img: { rgba: Uint8Array | Buffer }, w: number, x: number, y: number) => [...img.rgba.subarray((y * w + x) * 4, (y * w + x) * 4 + 4)];
    expect(at(image, 40, 10, 10)).toEqual([0xd5, 0x5e, 0x00, 255]);
    expect(at(image, 40, 30, 10)[3]).toBe(0);
    // a disc of radius 6 device pixels covers about π·36 ≈ 113 pixels
    expect(countColor(image, '#D55E00', 0)).toBeGreaterThan(90);
    expect(countColor(image, '#D55E00', 0)).toBeLessThan(130);
    // the dashed rule: on for 12 device pixels, off for 8, from the right end
    expect(at(image, 40, 35, 4)).toEqual([0x33, 0x33, 0x33, 255]);
    expect(at(image, 40, 25, 4)[3]).toBe(0);
    // painted straight into a white image at (2, 0): the same picture, 2 pixels to the right, clipped to the plot
    const white = new Uint8Array(50 * 24 * 4).fill(255);
    paintOverlay(white, 50, { ...overlay, dots: [...overlay.dots, { x: 19.5, y: 5, color: '#0072B2' }] }, 2, 2, 0);
    expect(at({ rgba: white }, 50, 12, 10)).toEqual([0xd5, 0x5e, 0x00, 255]);
    expect(at({ rgba: white }, 50, 37, 4)).toEqual([0x33, 0x33, 0x33, 255]);
    expect(at({ rgba: white }, 50, 43, 10)).toEqual([255, 255, 255, 255]);
    let painted = 0;
    for (let y = 0; y < 20; y++) for (let x = 2; x < 42; x++) if (at({ rgba: white }, 50, x, y)[0] === 0xd5) painted++;
    let opaque = 0;
    for (let i = 0; i < image.rgba.length; i += 4) if (image.rgba[i] === 0xd5 && image.rgba[i + 3] === 255) opaque++;
    // the same disc: only edge pixels may round differently (stamps are at quarter-pixel steps)
    expect(Math.abs(painted - opaque)).toBeLessThanOrEqual(8);
  });
});
