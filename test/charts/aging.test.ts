import { describe, expect, it } from 'vitest';
import type { AgingReport } from '../../src/core/types.ts';
import { demoFixtures, NOW, DAY, tinyFixture } from './chart-data.ts';
import { expectValidChart, svgTexts } from './expect-chart.ts';
import { useChartRenderer } from '../support/chart-renderer.ts';

const charts = useChartRenderer();

describe('aging WIP chart', () => {
  it('draws one column per in-progress stage with the percentile bands labelled', async () => {
    const { set, map, context } = demoFixtures().last90;
    const chart = await charts.render('aging', { report: set.aging, stages: map.stages, finishedCount: set.cycleTime.count, context });
    expectValidChart(chart);
    const texts = svgTexts(chart.svg);
    const p = set.aging.percentiles!;
    for (const level of ['50', '70', '85', '95'] as const) expect(texts).toContain(`${level}%: ${p[level]} days`);
    for (const stage of ['Analysis', 'Ready for dev', 'Development', 'Code review', 'Testing', 'Ready for release']) expect(texts).toContain(stage);
    expect(texts).not.toContain('Backlog');
    expect(texts).toContain('Age (days since work started)');
    expect(chart.summary).toMatch(new RegExp(`^${set.aging.items.length} items in progress; `));
  });

  it('makes items past the 85th percentile stand out, named by key', async () => {
    const { set, map, context } = demoFixtures().last90;
    const old = { key: 'DEMO-OLD', type: 'defect' as const, title: 'Stuck', stage: 'Code review', startedAt: NOW - 40 * DAY, ageDays: 40, beyond: '95' as const };
    const report: AgingReport = { percentiles: set.aging.percentiles, items: [...set.aging.items, old] };
    const chart = await charts.render('aging', { report, stages: map.stages, context });
    const texts = svgTexts(chart.svg);
    expect(texts).toContain('DEMO-OLD');
    expect(chart.summary).toContain('Oldest: DEMO-OLD, 40 days in Code review.');
    expect(chart.summary).toContain('1 past the 95th percentile');
  });

  it('says "not enough data yet" when nothing is in progress, and draws no bands from too few finished items', async () => {
    const { set, map, context } = tinyFixture();
    const chart = await charts.render('aging', { report: set.aging, stages: map.stages, finishedCount: set.cycleTime.count, context });
    expectValidChart(chart);
    expect(chart.enough).toBe(false);
    expect(svgTexts(chart.svg)).toContain('Not enough data yet: 0 items in progress, need at least 1');
    const one = { key: 'T-9', type: 'feature' as const, title: 'x', stage: 'Development', startedAt: NOW - 3 * DAY, ageDays: 3, beyond: null };
    const few = await charts.render('aging', { report: { percentiles: set.cycleTime.percentiles, items: [one] }, stages: map.stages, finishedCount: 3, context });
    expect(few.enough).toBe(true);
    expect(svgTexts(few.svg).some((t) => t.startsWith('85%:'))).toBe(false);
    expect(few.summary).toContain('too few finished items');
  });
});
