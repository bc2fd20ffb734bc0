import { describe, expect, it } from 'vitest';
import { demoFixtures, tinyFixture } from './chart-data.ts';
import { expectValidChart, svgTexts } from './expect-chart.ts';
import { useChartRenderer } from '../support/chart-renderer.ts';

const charts = useChartRenderer();

describe('cumulative flow diagram', () => {
  it('stacks every stage of the demo stream, legend in stack order with done at the bottom', async () => {
    const { set, map, context } = demoFixtures().last90;
    const chart = await charts.render('cfd', { days: set.cfd, stages: map.stages, context });
    expectValidChart(chart);
    const texts = svgTexts(chart.svg);
    const legend = texts.filter((t) => map.stages.some((s) => s.name === t));
    expect(legend).toEqual(map.stages.map((s) => s.name));
    expect(legend[legend.length - 1]).toBe('Done');
    expect(texts).toContain('Cumulative flow · demo · last 90 days');
    expect(texts.some((t) => t.startsWith(`${set.cfd.length} days · 26 Aug – 24 Nov 2026`))).toBe(true);
    // the bands are stacked in the order done, ready for release, …, backlog
    const orders = [...chart.svg.matchAll(/<path[^>]*aria-label="[^"]*stage: ([^;"]+)/g)].map((m) => m[1]);
    expect(orders[0]).toBe('Done');
    expect(chart.summary).toMatch(/^Work by stage per day, 26 Aug – 24 Nov 2026: \d+ items in progress on 24 Nov \(\d+ on 26 Aug\); \d+ arrived and \d+ finished in that time\.$/);
  });

  it('draws a tiny stream without crashing, and says "not enough data yet" for fewer than 6 days', async () => {
    const { set, map, context } = tinyFixture();
    const tiny = await charts.render('cfd', { days: set.cfd, stages: map.stages, context });
    expectValidChart(tiny);
    const short = await charts.render('cfd', { days: set.cfd.slice(0, 3), stages: map.stages, context });
    expect(short.enough).toBe(false);
    expect(svgTexts(short.svg)).toContain('Not enough data yet: 3 days of history, need at least 6');
    const empty = await charts.render('cfd', { days: set.cfd.map((d) => ({ date: d.date, counts: {} })), stages: map.stages, context });
    expect(empty.enough).toBe(false);
  });
});
