import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import { encodePng, readPngSize } from '../../src/charts/png-encode.ts';
import * as vega from 'vega';
import { specToSvg } from '../../src/charts/render.ts';
import { FONT_FILES, measureText } from '../../src/charts/text-width.ts';
import { countColor, countDark, decodePng } from './png-pixels.ts';
import { useChartRenderer } from '../support/chart-renderer.ts';

const charts = useChartRenderer();

describe('renderer', () => {
  it('draws text with the DejaVu font from npm, with no system fonts loaded, at 2x', async () => {
    const chart = await charts.renderSpec({
      width: 300,
      height: 60,
      config: { font: 'DejaVu Sans', background: 'white' },
      data: { values: [{ t: 'Cycle time' }] },
      mark: { type: 'text', fontSize: 30, color: 'black' },
      encoding: { text: { field: 't' }, x: { value: 150 }, y: { value: 30 } },
    });
    expect(chart.svg).toContain('Cycle time');
    expect(chart.svg).toContain('DejaVu Sans');
    const image = decodePng(chart.png);
    expect(image.width).toBe(chart.width);
    expect(chart.width).toBe(2 * Number(/width="([\d.]+)"/.exec(chart.svg)![1]));
    // glyphs were drawn: many dark pixels (an unknown font would draw nothing)
    expect(countDark(image)).toBeGreaterThan(2000);
  });

  it('measures text as wide as resvg draws it with the same font', () => {
    for (const text of ['Cycle time (days)', 'Most waiting happens in Code review: 41% of all wait time', 'WWW iii']) {
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="900" height="40"><text x="0" y="30" font-family="DejaVu Sans" font-size="12">${text}</text></svg>`;
      const resvg = new Resvg(svg, { font: { fontFiles: [FONT_FILES.regular], loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans' } });
      const box = resvg.getBBox()!;
      const measured = measureText(text, 12);
      // the bounding box lacks the side bearings of the first and last glyph: within 3 px
      expect(Math.abs(measured - box.width)).toBeLessThan(3);
    }
    expect(measureText('Cycle time', 12, true)).toBeGreaterThan(measureText('Cycle time', 12));
  });

  it("lays text out with the DejaVu widths it is drawn with (Vega's text measure is replaced, and still used)", async () => {
    await specToSvg({ width: 10, height: 10, mark: 'point', data: { values: [{}] } }); // installs the measure
    const text = 'Lead time WWW iii';
    const view = new vega.View(
      vega.parse({ width: 10, height: 10, autosize: 'none', marks: [{ type: 'text', encode: { enter: { text: { value: text }, fontSize: { value: 20 }, x: { value: 0 }, y: { value: 0 } } } }] }),
      { renderer: 'none' },
    );
    await view.runAsync();
    const root = (view.scenegraph() as unknown as { root: unknown }).root as { items: { items: { items: { bounds: { x1: number; x2: number } }[] }[] }[] };
    const bounds = root.items[0]!.items[0]!.items[0]!.bounds;
    view.finalize();
    // Vega's own estimate without a canvas ignores the glyphs (W as wide as i); ours follows them
    expect(bounds.x2 - bounds.x1).toBeCloseTo(measureText(text, 20), 0);
  });

  it('collects Vega-Lite warnings (a chart bug) instead of printing them', async () => {
    charts.takeCompileWarnings();
    await charts.renderSpec({
      data: { values: [{ t: 'x' }] },
      mark: 'text',
      // fontWeight is not an encoding channel: Vega-Lite drops it with a warning
      encoding: { text: { field: 't' }, fontWeight: { value: 'bold' } } as never,
    });
    expect(charts.takeCompileWarnings().some((w) => w.includes('fontWeight'))).toBe(true);
  });

  it('encodes RGBA pixels as a PNG that reads back the same', () => {
    const rgba = new Uint8Array([255, 0, 0, 255, 0, 114, 178, 255, 0, 0, 0, 0, 255, 255, 255, 128]);
    const png = encodePng(rgba, 2, 2);
    expect(readPngSize(png)).toEqual({ width: 2, height: 2 });
    const image = decodePng(png);
    expect([...image.rgba]).toEqual([...rgba]);
    expect(countColor(image, '#0072B2', 0)).toBe(1);
    expect(() => readPngSize(Buffer.from('not a png at all, just some text'))).toThrow(/Not a PNG/);
    expect(() => encodePng(rgba, 3, 2)).toThrow(/expected 24 bytes/);
  });
});
