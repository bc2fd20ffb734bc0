import { describe, expect, it } from 'vitest';
import { forecastHowMany, forecastWhen } from '../../src/core/index.ts';
import { demoFixtures, tinyFixture } from './chart-data.ts';
import { expectValidChart, svgTexts } from './expect-chart.ts';
import { useChartRenderer } from '../support/chart-renderer.ts';

const charts = useChartRenderer();

describe('forecast histogram', () => {
  it('shows how many items in 14 days with the 50/85/95% lines', async () => {
    const { set, context } = demoFixtures().last90;
    const dailyThroughput = set.forecastThroughput;
    const forecast = forecastHowMany({ dailyThroughput, days: 14, seed: 7 });
    const sampleItems = dailyThroughput.reduce((a, b) => a + b, 0);
    const chart = await charts.render('forecast', { forecast, sampleItems, context });
    expectValidChart(chart);
    const texts = svgTexts(chart.svg);
    for (const level of ['50', '85', '95'] as const) expect(texts).toContain(`${level}%: ${forecast.howMany[level]} or more`);
    expect(texts).toContain('Items finished in 14 days');
    expect(texts.some((t) => t.startsWith('10,000 Monte Carlo trials'))).toBe(true);
    expect(chart.summary).toBe(
      `In the next 14 days: 85% chance of finishing ${forecast.howMany['85']} items or more (50%: ${forecast.howMany['50']}, 95%: ${forecast.howMany['95']}).`,
    );
  });

  it('shows when 30 items will be done', async () => {
    const { set, context } = demoFixtures().last90;
    const forecast = forecastWhen({ dailyThroughput: set.forecastThroughput, items: 30, seed: 7 });
    const chart = await charts.render('forecast', { forecast, context });
    expectValidChart(chart);
    const texts = svgTexts(chart.svg);
    for (const level of ['50', '85', '95'] as const) expect(texts).toContain(`${level}%: within ${forecast.when[level]} days`);
    expect(chart.summary).toContain(`30 items: 85% chance they are done within ${forecast.when['85']} days`);
  });

  it('says "not enough data yet" when fewer than 6 items finished in the sample', async () => {
    const { set, context } = tinyFixture();
    const forecast = forecastHowMany({ dailyThroughput: set.forecastThroughput, days: 14, seed: 7 });
    const chart = await charts.render('forecast', { forecast, sampleItems: 3, context });
    expectValidChart(chart);
    expect(chart.enough).toBe(false);
    expect(svgTexts(chart.svg)).toContain('Not enough data yet: 3 items finished in the last 90 days, need at least 6');
  });
});
