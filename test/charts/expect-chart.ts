/** Checks every rendered chart must pass: a real PNG at 2x the SVG's size, with text drawn. */
import { expect } from 'vitest';
import type { RenderedChartWithSummary } from '../../src/charts/index.ts';
import { decodePng, countDark, PNG_SIGNATURE } from './png-pixels.ts';

/** The SVG's width and height attributes (CSS pixels). */
export function svgSize(svg: string): { width: number; height: number } {
  const match = /<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/.exec(svg);
  if (!match) throw new Error('the SVG has no width and height attributes');
  return { width: Number(match[1]), height: Number(match[2]) };
}

/** All text of the SVG's <text> elements, unescaped. */
export function svgTexts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) =>
    m[1].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'").replace(/&amp;/g, '&'),
  );
}

export function expectValidChart(chart: RenderedChartWithSummary): void {
  expect([...chart.png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
  const size = svgSize(chart.svg);
  expect(chart.width).toBe(Math.round(size.width * 2));
  expect(chart.height).toBe(Math.round(size.height * 2));
  const image = decodePng(chart.png);
  expect(image.width).toBe(chart.width);
  expect(image.height).toBe(chart.height);
  // text and lines were drawn (the fonts come from npm, not the host)
  expect(countDark(image)).toBeGreaterThan(1000);
  expect(chart.summary.length).toBeGreaterThan(20);
  expect(chart.summary).not.toContain('\n');
}
