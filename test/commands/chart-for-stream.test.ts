import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChartError } from '../../src/charts/chart-error.ts';
import { chartForStream } from '../../src/commands/chart-for-stream.ts';
import { CHART_KINDS } from '../../src/charts/index.ts';
import { loadDemo } from '../../src/demo/load-demo.ts';
import type { Store } from '../../src/store/database.ts';
import { openTestStore, testDialects } from '../support/databases.ts';
import { demoFixtures, NOW } from '../charts/chart-data.ts';
import { expectValidChart, svgTexts } from '../charts/expect-chart.ts';
import { useChartRenderer } from '../support/chart-renderer.ts';

const charts = useChartRenderer();

describe.each(testDialects())('chartForStream on %s', (dialect) => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore(dialect);
    await loadDemo(store, { now: NOW });
  });
  afterAll(async () => {
    await store.close();
  });

  it('renders every chart kind of the stored demo stream, without a Vega-Lite warning', async () => {
    charts.takeCompileWarnings();
    for (const kind of CHART_KINDS) {
      const chart = await chartForStream({ store, charts }, { kind, stream: 'demo', now: NOW });
      expectValidChart(chart);
      expect(chart.enough, kind).toBe(true);
    }
    for (const series of ['throughput', 'wip'] as const) await chartForStream({ store, charts }, { kind: 'xmr', stream: 'demo', series, now: NOW });
    expect(charts.takeCompileWarnings()).toEqual([]);
  });

  it('counts whole weeks only in weekly throughput: neither the week in progress nor a cut first week', async () => {
    // NOW is Tuesday 24 Nov 2026: week 48 is in progress; 90 days back is Wednesday 26 Aug
    const chart = await chartForStream({ store, charts }, { kind: 'throughput', stream: 'demo', now: NOW });
    expect(chart.summary).toContain('over 12 weeks');
    expect(chart.summary).toContain('latest week 2026-W47');
    expect(svgTexts(chart.svg).join(' ')).toContain('weeks starting 31 Aug – 16 Nov 2026');
  });

  it('gives the same chart as the core results it is computed from (last 90 days, epics left out)', async () => {
    const { set, context } = demoFixtures().last90;
    const stored = await chartForStream({ store, charts }, { kind: 'scatter', stream: 'demo', now: NOW });
    const direct = await charts.render('scatter', { report: set.cycleTime, context });
    expect(stored.summary).toBe(direct.summary);
    expect(svgTexts(stored.svg)).toContain('Cycle time of finished items · demo · last 90 days');
  });

  it('draws the XmR chart over the whole history by default, with the logged event', async () => {
    const chart = await chartForStream({ store, charts }, { kind: 'xmr', stream: 'demo', series: 'cycletime', now: NOW });
    const texts = svgTexts(chart.svg);
    expect(texts).toContain('Cycle time XmR chart · demo · whole history');
    expect(texts).toContain('WIP limit 3 in Code review (25 Aug)');
    expect(chart.summary).toMatch(/^Cycle time of \d+ finished items/);
  });

  it('names a given period by its dates, read in the stream time zone', async () => {
    const chart = await chartForStream({ store, charts }, { kind: 'distribution', stream: 'demo', fromDate: '2026-09-01', toDate: '2026-11-01', now: NOW });
    expect(svgTexts(chart.svg)).toContain('Flow distribution · demo · 1 Sep – 31 Oct 2026');
    // an instant is shown as the local date it falls on: midnight UTC is 1 am in Berlin
    const instant = await chartForStream({ store, charts }, { kind: 'distribution', stream: 'demo', from: Date.UTC(2026, 8, 1), to: Date.UTC(2026, 10, 1), now: NOW });
    expect(svgTexts(instant.svg)).toContain('Flow distribution · demo · 1 Sep – 1 Nov 2026');
    await expect(chartForStream({ store, charts }, { kind: 'cfd', stream: 'demo', fromDate: '2026-13-01', now: NOW })).rejects.toThrow('The start date "2026-13-01" is not a date: there is no month 13; write YYYY-MM-DD');
  });

  it('refuses an unknown stream, chart or series, and an empty period, saying what to do', async () => {
    await expect(chartForStream({ store, charts }, { kind: 'scatter', stream: 'nope', now: NOW })).rejects.toThrow(
      new ChartError('unknown-stream', 'There is no value stream "nope" (known streams: demo).'),
    );
    await expect(chartForStream({ store, charts }, { kind: 'pie', stream: 'demo', now: NOW })).rejects.toThrow(
      'Unknown chart "pie": choose one of scatter, xmr, aging, cfd, throughput, distribution, stages, forecast, map.',
    );
    await expect(chartForStream({ store, charts }, { kind: 'xmr', stream: 'demo', series: 'velocity' as never, now: NOW })).rejects.toThrow(
      'choose one of leadtime, cycletime, throughput, wip',
    );
    await expect(chartForStream({ store, charts }, { kind: 'cfd', stream: 'demo', from: NOW, to: NOW - 1, now: NOW })).rejects.toThrow(/give a start before the end/);
  });
});
