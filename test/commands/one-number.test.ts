/**
 * Issue 15, item 4: one computed value per quantity per answer. For each metric command on the
 * demo stream, every number the message says appears in the data of the chart drawn with it
 * (its Vega-Lite spec and its summary), rounded the same way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildChart, type ChartKind, type ChartInput } from '../../src/charts/index.ts';
import type { BoundStream, CommandContext } from '../../src/commands/context.ts';
import { metricAnswer, xmrAnswer, type ChartPlan } from '../../src/commands/metric-answers.ts';
import type { MetricCommand, XmrSeries } from '../../src/commands/parse.ts';
import { loadStreamData, type StreamData } from '../../src/commands/stream-data.ts';
import { loadDemo } from '../../src/demo/load-demo.ts';
import type { Store } from '../../src/store/database.ts';
import { getStream } from '../../src/store/value-streams.ts';
import { openTestStore } from '../support/databases.ts';
import { useChartRenderer } from '../support/chart-renderer.ts';

const charts = useChartRenderer();

const NOW = Date.UTC(2026, 10, 24, 12);

/** The numbers a person reads in a message: not those of dates, ISO weeks or the period's words. */
function numbersOfText(text: string, periodLabel: string): string[] {
  const stripped = text
    .replace(periodLabel, '')
    .replace(/\d{4}-\d{2}-\d{2}/g, '')
    .replace(/\d{4}-W\d{2}/g, '')
    .replace(/\b\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)( \d{4})?/g, '');
  return [...stripped.matchAll(/(?<![\w.])\d+(?:\.\d+)?/g)].map((m) => m[0]);
}

/** Every number in a chart: its data values and the numbers in its titles and summary. */
function numbersOfChart(plan: ChartPlan, data: StreamData): { values: number[]; words: string } {
  const built = buildChart(plan.kind as ChartKind, { ...plan.input, context: { ...data.chartContext, ...plan.context } } as ChartInput<ChartKind>);
  const values: number[] = [];
  const words: string[] = [built.summary];
  // numbers count only inside the chart's data (data.values, datasets), not sizes or scales; words anywhere
  const walk = (node: unknown, inData: boolean): void => {
    if (typeof node === 'number') {
      if (inData) values.push(node);
    } else if (typeof node === 'string') words.push(node);
    else if (Array.isArray(node)) for (const child of node) walk(child, inData);
    else if (node && typeof node === 'object') for (const [key, child] of Object.entries(node)) walk(child, inData || key === 'values' || key === 'datasets');
  };
  walk(built.spec, false);
  return { values, words: words.join('\n') };
}

/** A number of the text is in the chart when the chart says it, or has a value that rounds to it. */
function inChart(number: string, chart: { values: number[]; words: string }): boolean {
  if (new RegExp(`(?<![\\w.])${number.replace('.', '\\.')}(?![\\d])`).test(chart.words)) return true;
  const decimals = number.includes('.') ? number.split('.')[1]!.length : 0;
  return chart.values.some((value) => value.toFixed(decimals) === Number(number).toFixed(decimals) || String(value) === number);
}

const METRICS: MetricCommand[] = ['leadtime', 'cycletime', 'throughput', 'wip', 'aging', 'efficiency', 'stages', 'distribution', 'cfd'];

describe('one number per quantity per answer (demo stream)', () => {
  let store: Store;
  let data: StreamData;
  let ctx: CommandContext;
  let bound: BoundStream;
  beforeAll(async () => {
    store = await openTestStore('sqlite');
    await loadDemo(store, { now: NOW });
    const stream = (await getStream(store.db, 'demo'))!;
    bound = { streamId: stream.id, name: 'demo', map: stream.map } as BoundStream;
    ctx = { store, charts, platform: 'slack', channelId: 'C1', userId: 'U1', now: NOW };
    data = await loadStreamData(ctx, bound, undefined);
  });
  afterAll(async () => {
    await store.close();
  });

  for (const metric of METRICS) {
    it(`${metric}: every number of the message is in its chart`, () => {
      const answer = metricAnswer(metric, data);
      const chart = numbersOfChart(answer.chart, data);
      const missing = numbersOfText(answer.text, data.periodLabel).filter((n) => !inChart(n, chart));
      expect(missing, `${answer.text}\n--- chart: ${chart.words.slice(0, 600)}`).toEqual([]);
    });
  }

  for (const series of ['leadtime', 'cycletime', 'throughput', 'wip'] as XmrSeries[]) {
    it(`xmr ${series}: every number of the message is in its chart`, async () => {
      const whole = await loadStreamData(ctx, bound, undefined, 'all');
      const answer = xmrAnswer(whole, series);
      const chart = numbersOfChart(answer.chart, whole);
      const missing = numbersOfText(answer.text, whole.periodLabel).filter((n) => !inChart(n, chart));
      expect(missing, `${answer.text}\n--- chart: ${chart.words.slice(0, 600)}`).toEqual([]);
    });
  }
});
