import { describe, expect, it } from 'vitest';
import { formatPercent } from '../../src/charts/format.ts';
import { demoFixtures, tinyFixture } from './chart-data.ts';
import { expectValidChart, svgTexts } from './expect-chart.ts';
import { useChartRenderer } from '../support/chart-renderer.ts';

const charts = useChartRenderer();

describe('flow distribution chart', () => {
  it('stacks the share of each type per week to 100%', async () => {
    const { set, context } = demoFixtures().last90;
    const report = set.distribution;
    const chart = await charts.render('distribution', { report, context });
    expectValidChart(chart);
    const texts = svgTexts(chart.svg);
    for (const label of ['Feature', 'Defect', 'Risk', 'Debt']) expect(texts).toContain(label);
    expect(texts).toContain('100%');
    expect(texts).toContain('Share of finished items');
    // the number finished above each bar
    for (const period of report.periods) expect(texts).toContain(String(period.total));
    expect(chart.summary).toBe(
      `Of ${report.periods.reduce((s, p) => s + p.total, 0)} items finished 26 Aug – 24 Nov 2026: ` +
        `${formatPercent(report.shares.feature)} features, ${formatPercent(report.shares.defect)} defects, ` +
        `${formatPercent(report.shares.risk)} risk, ${formatPercent(report.shares.debt)} debt.`,
    );
  });

  it('says "not enough data yet" for three finished items', async () => {
    const { set, context } = tinyFixture();
    const chart = await charts.render('distribution', { report: set.distribution, context });
    expectValidChart(chart);
    expect(chart.enough).toBe(false);
    expect(svgTexts(chart.svg)).toContain('Not enough data yet: 3 finished items, need at least 6');
  });
});
