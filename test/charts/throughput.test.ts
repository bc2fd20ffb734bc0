import { describe, expect, it } from 'vitest';
import { formatNumber } from '../../src/charts/format.ts';
import { demoFixtures, tinyFixture } from './chart-data.ts';
import { expectValidChart, svgTexts } from './expect-chart.ts';
import { useChartRenderer } from '../support/chart-renderer.ts';

const charts = useChartRenderer();

describe('throughput run chart', () => {
  it('draws weekly completions with the XmR centre and limits of each phase', async () => {
    const { set, context } = demoFixtures().lastYear;
    const chart = await charts.render('throughput', { report: set.throughput, xmr: set.xmr.throughput, context });
    expectValidChart(chart);
    const texts = svgTexts(chart.svg);
    const phase = set.xmr.throughput.phases.at(-1)!;
    expect(texts).toContain(`UNPL ${formatNumber(phase.unpl)}`);
    expect(texts).toContain(`Centre ${formatNumber(phase.center)}`);
    expect(texts).toContain('WIP limit 3 in Code review (25 Aug)');
    expect(texts).toContain('Items finished per week');
    expect(texts.some((t) => t.startsWith(`${set.throughput.total} items finished in ${set.throughput.perWeek.length} weeks`))).toBe(true);
    const counts = set.throughput.perWeek.map((w) => w.count);
    expect(chart.summary).toMatch(new RegExp(`^${Math.min(...counts)} to ${Math.max(...counts)} items finished a week over ${counts.length} weeks`));
    // one bar per week
    expect(chart.svg.match(/<path[^>]*aria-roledescription="bar"/g)?.length).toBe(counts.length);
  });

  it('says "not enough data yet" for three finished items', async () => {
    const { set, context } = tinyFixture();
    const chart = await charts.render('throughput', { report: set.throughput, xmr: set.xmr.throughput, context });
    expectValidChart(chart);
    expect(chart.enough).toBe(false);
    expect(svgTexts(chart.svg)).toContain('Not enough data yet: 3 finished items, need at least 6');
  });
});
