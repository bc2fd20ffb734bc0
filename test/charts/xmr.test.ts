import { describe, expect, it } from 'vitest';
import { formatNumber } from '../../src/charts/format.ts';
import { XMR_RULE_WORDS } from '../../src/charts/xmr-wording.ts';
import { xmr } from '../../src/core/index.ts';
import { XMR_RULES } from '../../src/core/types.ts';
import { demoFixtures, tinyFixture } from './chart-data.ts';
import { expectValidChart, svgTexts } from './expect-chart.ts';
import { useChartRenderer } from '../support/chart-renderer.ts';

const charts = useChartRenderer();

describe('XmR chart', () => {
  it('draws the demo lead times with limits per phase, the logged event and the signals by rule', async () => {
    const { set, context } = demoFixtures().lastYear;
    const result = set.xmr.leadTime;
    expect(result.phases.length).toBe(2);
    const chart = await charts.render('xmr', { result, series: 'leadtime', context });
    expectValidChart(chart);
    const texts = svgTexts(chart.svg);
    expect(texts).toContain('Lead time XmR chart · demo · last 12 months');
    for (const phase of result.phases) {
      expect(texts).toContain(`UNPL ${formatNumber(phase.unpl)}`);
      expect(texts).toContain(`Centre ${formatNumber(phase.center)}`);
      expect(texts).toContain(`LNPL ${formatNumber(Math.max(0, phase.lnpl))}`);
      expect(texts).toContain(`URL ${formatNumber(phase.mrUrl)}`);
      expect(texts).toContain(`mean mR ${formatNumber(phase.mrCenter)}`);
    }
    // the policy change is annotated at its date
    expect(texts).toContain('WIP limit 3 in Code review (25 Aug)');
    // the legend names every rule that fired, in words
    const fired = XMR_RULES.filter((rule) => result.points.some((p) => p.rules[0] === rule));
    expect(fired.length).toBeGreaterThan(0);
    for (const rule of fired) expect(texts).toContain(XMR_RULE_WORDS[rule]);
    expect(texts).toContain('Moving range');
    expect(chart.summary).toMatch(/^Lead time of \d+ finished items \(.+\): centre [\d.]+ days, limits [\d.]+–[\d.]+ since "WIP limit 3 in Code review"; \d+ signals?: /);
  });

  it('draws LNPL at 0 when the limit falls below zero, and labels the raw limit nowhere', async () => {
    const values = [2, 9, 1, 12, 3, 8, 2, 10, 4, 1, 11, 3, 30];
    const result = xmr(values, { baseline: 12 });
    const phase = result.phases[0];
    expect(phase.lnpl).toBeLessThan(0);
    const { context } = demoFixtures().last90;
    const chart = await charts.render('xmr', { result, series: 'throughput', nonNegative: true, context });
    expectValidChart(chart);
    const texts = svgTexts(chart.svg);
    expect(texts).toContain('LNPL 0');
    expect(texts).not.toContain(`LNPL ${formatNumber(phase.lnpl)}`);
    expect(texts).toContain(`UNPL ${formatNumber(phase.unpl)}`);
    expect(texts).toContain('Beyond the limits');
    expect(chart.summary).toContain('1 signal: 1 beyond the limits');
  });

  it('keeps a negative LNPL for a measure that can be negative', async () => {
    const result = xmr([2, 9, 1, 12, 3, 8, 2, 10, 4, 1, 11, 3]);
    const chart = await charts.render('xmr', { result, series: 'wip', nonNegative: false, context: demoFixtures().last90.context });
    expect(svgTexts(chart.svg)).toContain(`LNPL ${formatNumber(result.phases[0].lnpl)}`);
  });

  it('draws weekly throughput over dates and names the series in the title', async () => {
    const { set, context } = demoFixtures().lastYear;
    const chart = await charts.render('xmr', { result: set.xmr.throughput, series: 'throughput', context });
    expectValidChart(chart);
    const texts = svgTexts(chart.svg);
    expect(texts).toContain('Weekly throughput XmR chart · demo · last 12 months');
    expect(texts).toContain('Week starting');
    expect(texts).toContain('Items finished per week');
  });

  it('says "not enough data yet" for fewer than 6 points', async () => {
    const { set, context } = tinyFixture();
    const chart = await charts.render('xmr', { result: set.xmr.leadTime, series: 'leadtime', context });
    expectValidChart(chart);
    expect(chart.enough).toBe(false);
    expect(svgTexts(chart.svg)).toContain('Not enough data yet: 3 finished items, need at least 6');
    const empty = await charts.render('xmr', { result: xmr([]), series: 'wip', context });
    expect(empty.summary).toContain('Not enough data yet: 0 weeks, need at least 6');
  });
});
