import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import { textToPaths } from '../../src/charts/text-to-path.ts';
import { FONT_FILES, measureText } from '../../src/charts/text-width.ts';

const svgOf = (body: string) => `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="60">${body}</svg>`;
const box = (svg: string) =>
  new Resvg(svg, { font: { fontFiles: [FONT_FILES.regular, FONT_FILES.bold], loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans' } }).getBBox()!;

describe('text drawn as glyph outlines', () => {
  it('replaces each label with a path where resvg would have drawn the text', () => {
    const text = '<text text-anchor="middle" transform="translate(200,40)" font-family="DejaVu Sans" font-size="16px" fill="#222222">Centre 9.2 &amp; UNPL</text>';
    const paths = textToPaths(svgOf(text));
    expect(paths).not.toContain('<text');
    expect(paths).toMatch(/^<svg[^>]*><path transform="translate\(200,40\)" d="M[^"]+" fill="#222222"\/><\/svg>$/);
    const drawn = box(paths);
    const asText = box(svgOf(text));
    // same place and size, within a pixel (the outlines skip kerning, as Vega's measurement does)
    expect(Math.abs(drawn.x - asText.x)).toBeLessThan(1.5);
    expect(Math.abs(drawn.width - asText.width)).toBeLessThan(2);
    expect(Math.abs(drawn.y - asText.y)).toBeLessThan(0.5);
    expect(Math.abs(drawn.height - asText.height)).toBeLessThan(0.5);
    // middle-anchored: centred on x = 200
    expect(drawn.x + drawn.width / 2).toBeCloseTo(200, 0);
    expect(drawn.width).toBeCloseTo(measureText('Centre 9.2 & UNPL', 16), -1);
  });

  it('keeps the halo stroke and bold face, and leaves text it does not handle to resvg', () => {
    const halo = textToPaths(svgOf('<text transform="translate(0,20)" font-size="11px" font-weight="bold" stroke="white" stroke-width="3.5" fill="#222222">85%: 9 days</text>'));
    expect(halo).toContain('stroke="white" stroke-width="3.5"');
    const bold = box(halo).width;
    const regular = box(textToPaths(svgOf('<text transform="translate(0,20)" font-size="11px" fill="#222222">85%: 9 days</text>'))).width;
    expect(bold).toBeGreaterThan(regular);
    const other = svgOf('<text font-family="Comic Sans" font-size="11px">hi</text><text font-size="11px" dy="3">there</text>');
    expect(textToPaths(other)).toBe(other);
    expect(textToPaths(svgOf('<text font-size="11px"> </text>'))).toBe(svgOf(''));
  });
});
