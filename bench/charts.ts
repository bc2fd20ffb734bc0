/**
 * Chart rendering speed: median time to build and render (spec → SVG → 2x PNG) a cycle-time
 * scatterplot of 20,000 items and an XmR chart of 1,000 points, after warm-up, at the chat size
 * the bot posts and at the large report size.
 * Target: ≤ 150 ms median each.
 */
import { loadavg } from 'node:os';
import { createChartRenderer } from '../src/charts/index.ts';
import { percentiles, xmr } from '../src/core/index.ts';
import { createRandom } from '../src/core/random.ts';
import type { DurationReport, ItemDuration, ItemType } from '../src/core/types.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 24, 12);
const WARM_UP = 3;
const RUNS = 15;

const random = createRandom;

function scatterReport(count: number): DurationReport {
  const next = random(1);
  const types: ItemType[] = ['feature', 'feature', 'feature', 'defect', 'defect', 'risk', 'debt'];
  const items: ItemDuration[] = [];
  for (let i = 0; i < count; i++) {
    // log-normal cycle times around 6 days, completions spread over a year
    const normal = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
    const days = Math.max(1, Math.round(Math.exp(Math.log(6) + 0.7 * normal)));
    const end = NOW - Math.floor(next() * 365) * DAY;
    const date = new Date(end).toISOString().slice(0, 10);
    items.push({ key: `B-${i}`, type: types[i % types.length], title: '', start: end - days * DAY, end, startDate: date, endDate: date, ms: days * DAY, days });
  }
  items.sort((a, b) => a.end - b.end);
  return { days: 'calendar', count, percentiles: percentiles(items.map((i) => i.days)), items };
}

function xmrValues(count: number): number[] {
  const next = random(2);
  return Array.from({ length: count }, (_, i) => Math.round((i < count * 0.7 ? 12 : 8) + next() * 8 + (next() < 0.02 ? 25 : 0)));
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.floor(sorted.length / 2)] * 10) / 10;
};

/** Median wall-clock ms, and median CPU ms of this process (all threads: resvg renders off the main thread). */
async function measure(run: () => Promise<unknown>): Promise<{ wall: number; cpu: number }> {
  for (let i = 0; i < WARM_UP; i++) await run();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const usage = process.cpuUsage();
    const started = performance.now();
    await run();
    wall.push(performance.now() - started);
    const used = process.cpuUsage(usage);
    cpu.push((used.user + used.system) / 1000);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

export async function benchCharts(): Promise<Record<string, number | string>> {
  const context = { stream: 'bench', periodLabel: 'last 12 months', from: NOW - 365 * DAY, to: NOW + 1, timeZone: 'Europe/Berlin' };
  const report = scatterReport(20_000);
  const values = xmrValues(1_000);
  const ats = values.map((_, i) => NOW - (values.length - i) * 8 * 3_600_000);
  const event = { at: ats[700], text: 'WIP limit 3 in Code review', kind: 'policy' };
  const result = xmr(values, { phaseStarts: [700], events: [event], labels: values.map((_, i) => `B-${i}`), ats });

  const reportSize = { ...context, size: 'report' as const };
  // one renderer (one resvg thread) for every chart, as the bot has
  const charts = createChartRenderer();
  let scatter: { wall: number; cpu: number };
  let xmrChart: typeof scatter;
  let scatterReportSize: typeof scatter;
  let xmrReport: typeof scatter;
  try {
    scatter = await measure(() => charts.render('scatter', { report, context }));
    xmrChart = await measure(() => charts.render('xmr', { result, series: 'leadtime', context }));
    scatterReportSize = await measure(() => charts.render('scatter', { report, context: reportSize }));
    xmrReport = await measure(() => charts.render('xmr', { result, series: 'leadtime', context: reportSize }));
  } finally {
    await charts.close();
  }
  const verdict = (ms: number): string => (ms <= 150 ? 'met' : 'MISSED');
  const all = [scatter, xmrChart, scatterReportSize, xmrReport];
  return {
    'scatterplot, 20,000 items, chat size: median ms': scatter.wall,
    'scatterplot, 20,000 items, chat size: median CPU ms': scatter.cpu,
    'XmR chart, 1,000 points, chat size: median ms': xmrChart.wall,
    'XmR chart, 1,000 points, chat size: median CPU ms': xmrChart.cpu,
    'scatterplot, 20,000 items, report size: median ms': scatterReportSize.wall,
    'scatterplot, 20,000 items, report size: median CPU ms': scatterReportSize.cpu,
    'XmR chart, 1,000 points, report size: median ms': xmrReport.wall,
    'XmR chart, 1,000 points, report size: median CPU ms': xmrReport.cpu,
    target: `≤ 150 ms median each (after ${WARM_UP} warm-up runs, median of ${RUNS}); ${all.every((m) => m.wall <= 150) ? 'met' : 'MISSED'} (scatter ${verdict(scatter.wall)}/${verdict(scatterReportSize.wall)}, XmR ${verdict(xmrChart.wall)}/${verdict(xmrReport.wall)})`,
    'load average (1 min) while measuring': loadavg()[0].toFixed(1),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const [label, value] of Object.entries(await benchCharts())) process.stdout.write(`${label}: ${value}\n`);
}
