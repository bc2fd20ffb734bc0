/**
 * Every chart kind at chat size fits a chat column: at most 1024 × 1024 px, a PNG under 200 KB,
 * and no text under 10 px when the image is shown 480 px wide (read from the SVG before it is
 * rasterized). The report size stays large.
 */
import { describe, expect, it } from 'vitest';
import { chartLayout, type ChartSize } from '../../src/charts/chart-layout.ts';
import { type ChartInput, type ChartKind, CHART_KINDS } from '../../src/charts/index.ts';
import { forecastHowMany } from '../../src/core/index.ts';
import { type ChartFixture, demoFixtures, tinyFixture } from './chart-data.ts';
import { expectValidChart, smallestFontSize } from './expect-chart.ts';
import { useChartRenderer } from '../support/chart-renderer.ts';

const charts = useChartRenderer();

/** How wide a chat column shows an image. */
const CHAT_DISPLAY_WIDTH = 480;

function inputsOf(fixture: ChartFixture, size: ChartSize): { [K in ChartKind]: ChartInput<K> }[ChartKind][] {
  const { set, map } = fixture;
  const context = { ...fixture.context, size };
  const forecast = forecastHowMany({ dailyThroughput: set.forecastThroughput, days: 14, seed: 7 });
  return [
    { report: set.cycleTime, events: [], context },
    { result: set.xmr.leadTime, series: 'leadtime', context },
    { report: set.aging, stages: map.stages, finishedCount: set.cycleTime.count, context },
    { days: set.cfd, stages: map.stages, context },
    { report: set.throughput, xmr: set.xmr.throughput, context },
    { report: set.distribution, context },
    { breakdown: set.stages, context },
    { forecast, sampleItems: set.forecastThroughput.reduce((a, b) => a + b, 0), context },
    { map: set.valueStreamMap, context },
  ] as never;
}

/** Every kind, and the XmR chart of weekly throughput and of WIP too. */
async function renderEvery(fixture: ChartFixture, size: ChartSize) {
  const inputs = inputsOf(fixture, size);
  const kinds = await Promise.all(CHART_KINDS.map(async (kind, i) => ({ kind: kind as string, chart: await charts.render(kind, inputs[i] as ChartInput<typeof kind>) })));
  const context = { ...fixture.context, size };
  const { xmr } = fixture.set;
  return [
    ...kinds,
    { kind: 'xmr throughput', chart: await charts.render('xmr', { result: xmr.throughput, series: 'throughput', context }) },
    { kind: 'xmr wip', chart: await charts.render('xmr', { result: xmr.wip, series: 'wip', context }) },
  ];
}

describe('chart sizes', () => {
  it('draws every kind at chat size within 1024 × 1024 px, under 200 KB, no text under 10 px at 480 px wide', async () => {
    // a long stream name and period wrap the title block onto more lines: still within 1024 px
    const { lastYear } = demoFixtures();
    const longNames = { ...lastYear, context: { ...lastYear.context, stream: 'payments-and-checkout-platform-team', periodLabel: '1 Dec 2025 – 30 Nov 2026' } };
    for (const fixture of [lastYear, demoFixtures().last90, tinyFixture(), longNames]) {
      for (const { kind, chart } of await renderEvery(fixture, 'chat')) {
        const where = `${kind} of ${fixture.context.stream} (${fixture.context.periodLabel})`;
        expectValidChart(chart);
        expect(chart.width, where).toBeLessThanOrEqual(1024);
        expect(chart.height, where).toBeLessThanOrEqual(1024);
        expect(chart.png.length, where).toBeLessThan(200 * 1024);
        // the SVG is in CSS px and the PNG 2x: a font of s CSS px is 2s image px, shown at 480/width
        const shown = (smallestFontSize(chart.svg) * 2 * CHAT_DISPLAY_WIDTH) / chart.width;
        expect(shown, where).toBeGreaterThanOrEqual(10);
      }
    }
  });

  it('is chat size unless the report size is asked for, which stays large', async () => {
    const fixture = demoFixtures().last90;
    const chat = await charts.render('scatter', { report: fixture.set.cycleTime, context: fixture.context });
    expect(chat.width).toBeLessThanOrEqual(1024);
    for (const { kind, chart } of await renderEvery(fixture, 'report')) {
      expect(chart.width, kind).toBeGreaterThan(1500);
      expect(smallestFontSize(chart.svg), kind).toBeGreaterThanOrEqual(chartLayout('report').text.note);
    }
  });
});
