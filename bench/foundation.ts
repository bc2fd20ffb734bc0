/**
 * Foundation figures: import rate into SQLite, the full report set over a
 * large stream, and a 10,000-trial forecast.
 */
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeReportSet } from '../src/core/report-set.ts';
import { forecastHowMany, forecastWhen } from '../src/core/forecast.ts';
import { throughput } from '../src/core/throughput.ts';
import type { WorkItem } from '../src/core/types.ts';
import { generateDemoStream } from '../src/demo/demo-stream.ts';
import { parseTransitionsCsv } from '../src/import/transitions-csv.ts';
import { openStore } from '../src/store/database.ts';
import { saveStream } from '../src/store/value-streams.ts';
import { importWorkItems, loadWorkItems } from '../src/store/work-items.ts';

const DAY = 86_400_000;

/** A CSV cell, quoted only when it must be (as spreadsheet exports do). */
const cell = (text: string) => (/[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);

function toTransitionsCsv(items: WorkItem[]): string {
  const lines = ['key,type,title,parent,created_at,from_status,to_status,at'];
  for (const item of items) {
    const head = `${item.key},${item.isEpic ? 'epic' : item.type},${cell(item.title)},${item.parentKey ?? ''},${new Date(item.createdAt).toISOString()}`;
    for (const transition of item.transitions) lines.push(`${head},${transition.from ?? ''},${transition.to},${new Date(transition.at).toISOString()}`);
  }
  return `${lines.join('\n')}\n`;
}

export async function benchFoundation(): Promise<Record<string, number | string>> {
  const figures: Record<string, number | string> = {};
  const end = Date.UTC(2026, 10, 24);
  // ~100,000 items, ~1,000,000 transitions: the demo stream's shape at 340 arrivals a working day,
  // topped up with extra transitions cycles so the count reaches a million.
  const big = generateDemoStream({ end, arrivalsPerDay: 340, seed: 7 });
  let transitions = big.items.reduce((sum, item) => sum + item.transitions.length, 0);
  for (const item of big.items) {
    if (transitions >= 1_000_000) break;
    const last = item.transitions.at(-1)!;
    if (last.to !== 'Done') continue;
    item.transitions.push({ from: 'Done', to: 'In Progress', at: last.at + 3_600_000 }, { from: 'In Progress', to: 'Done', at: last.at + 7_200_000 });
    transitions += 2;
  }
  figures.items = big.items.length;
  figures.transitions = transitions;

  const dir = mkdtempSync(join(tmpdir(), 'flow-nudge-bench-'));
  try {
    const csvPath = join(dir, 'history.csv');
    writeFileSync(csvPath, toTransitionsCsv(big.items));
    const store = await openStore(`file:${join(dir, 'bench.db')}`);
    try {
      const started = performance.now();
      const parsed = parseTransitionsCsv(readFileSync(csvPath, 'utf8'), 'history.csv');
      const parsedAt = performance.now();
      const streamId = await saveStream(store.db, { ...big.map, name: 'bench' });
      const result = await importWorkItems(store, streamId, parsed, { source: 'import' });
      const importedAt = performance.now();
      figures['import: transitions stored'] = result.transitionsAdded;
      figures['import: parse CSV (s)'] = round((parsedAt - started) / 1000);
      figures['import: store in SQLite (s)'] = round((importedAt - parsedAt) / 1000);
      figures['import rate, file to SQLite (transitions/s; target >= 100,000)'] = Math.round(result.transitionsAdded / ((importedAt - started) / 1000));

      const loadStarted = performance.now();
      const loaded = await loadWorkItems(store.db, streamId);
      figures['load 1M transitions from SQLite (ms)'] = Math.round(performance.now() - loadStarted);

      const window = { from: end - 365 * DAY, to: end };
      computeReportSet(loaded, big.map, big.events, window, end, 'calendar');
      const runs: number[] = [];
      for (let run = 0; run < 3; run += 1) {
        const reportStarted = performance.now();
        computeReportSet(loaded, big.map, big.events, window, end, 'calendar');
        runs.push(performance.now() - reportStarted);
      }
      figures['full report set, 100k items / 1M transitions (ms, median of 3; target <= 1000)'] = Math.round(runs.sort((a, b) => a - b)[1]);

      // the same with blocked flags and labels: every 10th item flagged twice (set, cleared, set again, still set)
      const blockedMap = { ...big.map, blockedWhenFlagged: true, blockedLabels: ['blocked'] };
      const flagged = loaded.map((item, i) => {
        if (i % 10 !== 0 || item.transitions.length < 2) return item;
        const at = item.transitions[1].at;
        return { ...item, flags: [{ flag: 'flagged', on: true, at }, { flag: 'flagged', on: false, at: at + 3_600_000 }, { flag: 'label:blocked', on: true, at: at + 7_200_000 }] };
      });
      computeReportSet(flagged, blockedMap, big.events, window, end, 'calendar');
      const blockedRuns: number[] = [];
      for (let run = 0; run < 3; run += 1) {
        const reportStarted = performance.now();
        computeReportSet(flagged, blockedMap, big.events, window, end, 'calendar');
        blockedRuns.push(performance.now() - reportStarted);
      }
      figures['full report set with blocked flags on 10% of items (ms, median of 3; target <= 1200)'] = Math.round(blockedRuns.sort((a, b) => a - b)[1]);

      const daily = throughput(loaded, big.map, { from: end - 90 * DAY, to: end }).perDay.map((day) => day.count);
      forecastHowMany({ dailyThroughput: daily, days: 30, trials: 10_000, seed: 1 });
      const forecastRuns: number[] = [];
      for (let run = 0; run < 5; run += 1) {
        const forecastStarted = performance.now();
        forecastWhen({ dailyThroughput: daily.map((count) => Math.max(0, Math.round(count / 50))), items: 200, trials: 10_000, seed: run });
        forecastRuns.push(performance.now() - forecastStarted);
      }
      figures['forecast "when will 200 be done", 10,000 trials (ms, median of 5; target <= 100)'] = round(forecastRuns.sort((a, b) => a - b)[2]);
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
