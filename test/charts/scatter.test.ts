import { describe, expect, it } from 'vitest';
import { TYPE_COLORS } from '../../src/charts/palette.ts';
import { DENSE_DOTS_THRESHOLD } from '../../src/charts/scatter.ts';
import type { DurationReport, ItemDuration, ItemType } from '../../src/core/types.ts';
import { percentiles } from '../../src/core/index.ts';
import { DAY, demoFixtures, NOW, tinyFixture } from './chart-data.ts';
import { expectValidChart, svgTexts } from './expect-chart.ts';
import { countColor, decodePng } from './png-pixels.ts';
import { useChartRenderer } from '../support/chart-renderer.ts';

const charts = useChartRenderer();

/** The colour a dot of opacity 0.75 leaves on white. */
function onWhite(hex: string, opacity = 0.75): string {
  const v = Number.parseInt(hex.slice(1), 16);
  const mix = (c: number) => Math.round(c * opacity + 255 * (1 - opacity));
  return `#${[(v >> 16) & 255, (v >> 8) & 255, v & 255].map((c) => mix(c).toString(16).padStart(2, '0')).join('')}`;
}

describe('cycle-time scatterplot', () => {
  it('draws the demo stream with percentile lines labelled with their values', async () => {
    const { set, context } = demoFixtures().last90;
    const report = set.cycleTime;
    const p = report.percentiles!;
    const chart = await charts.render('scatter', { report, context });
    expectValidChart(chart);
    expect(chart.enough).toBe(true);
    const texts = svgTexts(chart.svg);
    for (const level of ['50', '70', '85', '95'] as const) expect(texts).toContain(`${level}%: ${p[level]} days`);
    expect(texts).toContain('Cycle time of finished items · demo · last 90 days');
    expect(texts).toContain('Cycle time (days)');
    expect(texts).toContain('Completion date');
    expect(texts.some((t) => t.startsWith(`${report.count} items finished 26 Aug – 24 Nov 2026`))).toBe(true);
    expect(chart.summary).toBe(
      `85% of the ${report.count} items finished 26 Aug – 24 Nov 2026 took ${p['85']} days or less (50%: ${p['50']}, 70%: ${p['70']}, 95%: ${p['95']}).`,
    );
    // one vector dot per item, coloured by type
    expect(chart.svg.match(/class="mark-symbol role-mark layer_0_marks"/g)?.length).toBe(1);
    const image = decodePng(chart.png);
    expect(countColor(image, onWhite(TYPE_COLORS.feature), 10)).toBeGreaterThan(100);
    expect(countColor(image, onWhite(TYPE_COLORS.defect), 10)).toBeGreaterThan(50);
  });

  it(`draws more than ${DENSE_DOTS_THRESHOLD} items as one image of dots, in the type colours`, async () => {
    const types: ItemType[] = ['feature', 'defect', 'risk', 'debt'];
    let seed = 12345;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const items: ItemDuration[] = Array.from({ length: 3000 }, (_, i) => {
      const days = 1 + Math.floor(random() * 40);
      const end = NOW - Math.floor(random() * 90) * DAY;
      const date = new Date(end).toISOString().slice(0, 10);
      return { key: `D-${i}`, type: types[i % 4], title: 'x', start: end - days * DAY, end, startDate: date, endDate: date, ms: days * DAY, days };
    });
    const report: DurationReport = { days: 'calendar', count: items.length, percentiles: percentiles(items.map((i) => i.days)), items };
    const { context } = demoFixtures().last90;
    const chart = await charts.render('scatter', { report, context });
    expectValidChart(chart);
    expect(chart.svg).toContain('<image');
    expect(chart.svg).toContain('data:image/png;base64,');
    const image = decodePng(chart.png);
    for (const type of types) expect(countColor(image, onWhite(TYPE_COLORS[type]), 10)).toBeGreaterThan(300);
    expect(svgTexts(chart.svg)).toContain(`85%: ${report.percentiles!['85']} days`);
  });

  it('draws the same picture with dots as pixels as with dots as SVG marks', async () => {
    const { set, context } = demoFixtures().last90;
    const vector = decodePng((await charts.render('scatter', { report: set.cycleTime, context })).png);
    const dense = await charts.render('scatter', { report: set.cycleTime, context, denseThreshold: 0 });
    expect(dense.svg).toContain('data:image/png;base64,');
    const pixels = decodePng(dense.png);
    expect([pixels.width, pixels.height]).toEqual([vector.width, vector.height]);
    let differing = 0;
    for (let i = 0; i < pixels.rgba.length; i += 4) {
      const d = Math.abs(pixels.rgba[i] - vector.rgba[i]) + Math.abs(pixels.rgba[i + 1] - vector.rgba[i + 1]) + Math.abs(pixels.rgba[i + 2] - vector.rgba[i + 2]);
      if (d > 60) differing++;
    }
    // anti-aliasing differs at dot edges; a misplaced dot layer would differ on thousands of pixels
    expect(differing / (pixels.width * pixels.height)).toBeLessThan(0.002);
  });

  it('says "not enough data yet" for a stream with three finished items', async () => {
    const { set, context } = tinyFixture();
    const chart = await charts.render('scatter', { report: set.cycleTime, context });
    expectValidChart(chart);
    expect(chart.enough).toBe(false);
    expect(svgTexts(chart.svg)).toContain('Not enough data yet: 3 finished items, need at least 6');
    expect(chart.summary).toBe('Not enough data yet: 3 finished items, need at least 6 (tiny, 26 Aug – 24 Nov 2026).');
  });
});
