import { describe, expect, it } from 'vitest';
import { demoFixtures, tinyFixture } from './chart-data.ts';
import { expectValidChart, svgTexts } from './expect-chart.ts';
import { useChartRenderer } from '../support/chart-renderer.ts';

const charts = useChartRenderer();

describe('stage breakdown chart', () => {
  it('names the constraint in the title and outlines its bar', async () => {
    const { set, context } = demoFixtures().last90;
    const breakdown = set.stages;
    const constraint = breakdown.constraint!;
    const chart = await charts.render('stages', { breakdown, context });
    expectValidChart(chart);
    const texts = svgTexts(chart.svg);
    // chat size: the constraint is the title, what and where below it; report size: all in the title
    expect(texts).toContain(constraint.sentence);
    expect(texts).toContain('Time per stage · demo · last 90 days');
    const report = await charts.render('stages', { breakdown, context: { ...context, size: 'report' } });
    expect(svgTexts(report.svg)).toContain(`${constraint.sentence} · demo · last 90 days`);
    expect(texts.some((t) => t.startsWith(`Constraint · ${Math.round(constraint.waitShare * 100)}% of wait time`))).toBe(true);
    expect(texts).toContain('Wait time (queue)');
    expect(texts).toContain('Touch time (work)');
    for (const stage of breakdown.stages.filter((s) => s.kind === 'wait' || s.kind === 'touch')) expect(texts).toContain(stage.stage);
    expect(chart.summary.startsWith(`${constraint.sentence}.`)).toBe(true);
  });

  it('says "not enough data yet" for three items', async () => {
    const { set, context } = tinyFixture();
    const chart = await charts.render('stages', { breakdown: set.stages, context });
    expectValidChart(chart);
    expect(chart.enough).toBe(false);
    expect(svgTexts(chart.svg)).toContain('Not enough data yet: 3 items through the stages, need at least 6');
  });
});
