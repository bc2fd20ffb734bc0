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

const unescapeXml = (text: string): string =>
  text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'").replace(/&amp;/g, '&');

/**
 * All text of the SVG's <text> elements, unescaped; a text of several lines (<tspan>s, as a
 * wrapped chat title) gives each line and then its lines joined by spaces.
 */
export function svgTexts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>(.*?)<\/text>/g)].flatMap((m) => {
    if (!m[1].includes('<tspan')) return [unescapeXml(m[1])];
    const lines = [...m[1].matchAll(/<tspan[^>]*>([^<]*)<\/tspan>/g)].map((t) => unescapeXml(t[1]));
    return [...lines, lines.join(' ')];
  });
}

/** The smallest font size (CSS px) of any text in the SVG, read before it is rasterized. */
export function smallestFontSize(svg: string): number {
  const sizes = [...svg.matchAll(/<text[^>]*\sfont-size="([\d.]+)px"/g)].map((m) => Number(m[1]));
  if (sizes.length === 0) throw new Error('the SVG has no text with a font size');
  return Math.min(...sizes);
}

/** A drawn <text> (not its white halo): its text, anchor point (in its group), anchor side and size. */
export interface SvgText {
  text: string;
  x: number;
  y: number;
  anchor: string;
  fontSize: number;
}

export function svgTextItems(svg: string): SvgText[] {
  return [...svg.matchAll(/<text([^>]*)>([^<]*)<\/text>/g)]
    .filter((m) => !m[1].includes('stroke="white"'))
    .flatMap((m) => {
      const at = /transform="translate\(([-\d.e]+),([-\d.e]+)\)"/.exec(m[1]);
      const size = /font-size="([\d.]+)px"/.exec(m[1]);
      if (!at || !size) return [];
      return [{ text: unescapeXml(m[2]), x: Number(at[1]), y: Number(at[2]), anchor: /text-anchor="(\w+)"/.exec(m[1])?.[1] ?? 'start', fontSize: Number(size[1]) }];
    });
}

export function expectValidChart(chart: RenderedChartWithSummary): void {
  expect([...chart.png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
  const size = svgSize(chart.svg);
  // 2x, or a lower zoom that keeps a tall chat chart within 1024 px (the same zoom both ways)
  const zoom = chart.width / size.width;
  if (Math.round(size.width * 2) !== chart.width) expect(Math.max(chart.width, chart.height)).toBeLessThanOrEqual(1024);
  expect(zoom).toBeLessThanOrEqual(2);
  expect(Math.abs(chart.height - size.height * zoom)).toBeLessThanOrEqual(1);
  const image = decodePng(chart.png);
  expect(image.width).toBe(chart.width);
  expect(image.height).toBe(chart.height);
  // text and lines were drawn (the fonts come from npm, not the host)
  expect(countDark(image)).toBeGreaterThan(1000);
  expect(chart.summary.length).toBeGreaterThan(20);
  expect(chart.summary).not.toContain('\n');
}
