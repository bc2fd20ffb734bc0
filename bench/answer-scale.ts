/**
 * Answer time of `/flow leadtime 90d` (the reply with its chart, as a channel gets it) as the
 * history grows: the demo stream's shape at 10k and 100k items, stored in SQLite (and Postgres
 * when TEST_DATABASE_URL names one), each size in a fresh store. "first" is the first answer
 * after the store is opened (the history is read and cached), "warm p95" of 20 answers after
 * it; RSS is the process's after the answers. 10k and 100k items are a year of history, 1M
 * the 100k team's eleven years: the answer reads the items that can matter in its 90 days
 * (src/store/work-item-load.ts, a few index ranges), not the whole history.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { sql } from 'kysely';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createChartRenderer } from '../src/charts/index.ts';
import { keepHeapNearLive } from '../src/jobs/release-memory.ts';
import { computeReportSet } from '../src/core/report-set.ts';
import type { ReportSet } from '../src/core/types.ts';
import { runCommand, type CommandContext } from '../src/commands/index.ts';
import { generateDemoStream } from '../src/demo/demo-stream.ts';
import { openStore, type Store } from '../src/store/database.ts';
import { leftOutOf, loadStreamHistoryOf, type StreamHistory } from '../src/store/stream-history.ts';
import { getStream, saveStream } from '../src/store/value-streams.ts';
import { importWorkItems } from '../src/store/work-items.ts';
import { benchPostgresUrl, withBenchSchema } from './bench-postgres.ts';

const END = Date.UTC(2026, 10, 24);
const DAY = 86_400_000;
/** label, arrivals a day, days of history: 10k and 100k over a year; 1M is the 100k team's eleven years */
const SIZES: [string, number, number][] = [
  ['10k', 34, 365],
  ['100k', 340, 365],
  ['1M (11 years)', 340, 4_050],
];

/** `--sizes=10k,1M` measures only those (by label's first word); all of them without it */
function askedSizes(): [string, number, number][] {
  const asked = process.argv.find((a) => a.startsWith('--sizes='))?.slice('--sizes='.length).split(',');
  return asked ? SIZES.filter(([label]) => asked.includes(label.split(' ')[0]!)) : SIZES;
}

/** how many times the full report set is read and computed, each from a fresh handle */
const REPORT_SET_RUNS = 3;

const p95 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.ceil(values.length * 0.95) - 1]!;

interface Measured {
  items: number;
  first: number;
  warm: number;
  rssMb: number;
  /** ms for the full report set over 90 days, its window read from a fresh handle: the median of REPORT_SET_RUNS */
  reportSet: number;
  /** each run's ms, in the order run */
  reportSets: number[];
  /** heap the report set's history holds after collection, in bytes */
  heldBytes: number;
  /** items that history read */
  read: number;
}

/**
 * Generates the history and stores it; only its size is kept, so the answers are measured in a
 * process that holds no more than the bot would (the generated items are garbage by then). On
 * Postgres, VACUUM ANALYZE then does at once what autovacuum does in the minutes after a large
 * import, so the first answer meets the database as a restarted bot does.
 */
async function seed(store: Store, arrivalsPerDay: number, days: number): Promise<number> {
  const stream = generateDemoStream({ end: END, arrivalsPerDay, days, seed: 11 });
  const id = await saveStream(store.db, { ...stream.map, name: 'bench' });
  await importWorkItems(store, id, stream.items, { source: 'import' });
  if (!store.sqlite) await sql`VACUUM ANALYZE work_item, "transition", item_flag`.execute(store.db);
  return stream.items.length;
}

async function measure(open: () => Promise<Store>, arrivalsPerDay: number, days: number): Promise<Measured> {
  let store = await open();
  const items = await seed(store, arrivalsPerDay, days);
  (globalThis as { gc?: () => void }).gc?.();
  const charts = createChartRenderer();
  // as the bot at start (src/http/start-bot.ts): the heap kept near what is live, Vega loaded and
  // the resvg thread started before the first question
  keepHeapNearLive();
  await charts.warmUp();
  try {
    const ctx = (s: Store): CommandContext => ({ store: s, charts, platform: 'slack', channelId: 'C-BENCH', teamId: 'T1', userId: 'U1', now: END });
    await runCommand(ctx(store), 'bind bench');
    // a fresh store handle: the first answer reads the history as after a start
    await store.close();
    store = await open();
    let started = performance.now();
    const reply = await runCommand(ctx(store), 'leadtime 90d');
    const first = performance.now() - started;
    if (!reply.chart) throw new Error(`leadtime 90d gave no chart: ${reply.text}`);
    const warm: number[] = [];
    for (let i = 0; i < 20; i++) {
      started = performance.now();
      await runCommand(ctx(store), 'leadtime 90d');
      warm.push(performance.now() - started);
    }
    const rssMb = process.memoryUsage().rss / 2 ** 20;
    // the full report set over 90 days, REPORT_SET_RUNS times, each from a fresh handle: the
    // window's items read as the bot reads them, every report computed; the median is the figure
    // (one run swings by ±250 ms on this machine). The memory its history holds: the heap (after a
    // full collection) with the last run's history and report set, less the heap once both are dropped
    const gc = (globalThis as { gc?: () => void }).gc;
    if (!gc) throw new Error('run the bench with node --expose-gc (npm run bench does)');
    const window = { from: END - 90 * DAY, to: END + 1 };
    const reportSets: number[] = [];
    let history: StreamHistory | null = null;
    let set: ReportSet | null = null;
    for (let run = 0; run < REPORT_SET_RUNS; run += 1) {
      history = null;
      set = null;
      await store.close();
      store = await open();
      const { id: streamId, map } = (await getStream(store.db, 'bench'))!;
      started = performance.now();
      history = await loadStreamHistoryOf(store, { id: streamId, map }, { from: window.from, leftOut: true });
      set = computeReportSet(history.items, map, history.events, window, END, 'calendar', { leftOut: await leftOutOf(store, history) });
      reportSets.push(performance.now() - started);
      if (set.leadTime.count === 0 || history.items.length === 0) throw new Error('the report set measured nothing');
    }
    const read = history!.items.length;
    gc();
    const heapWith = process.memoryUsage().heapUsed;
    history = null;
    set = null;
    gc();
    const heldBytes = heapWith - process.memoryUsage().heapUsed;
    const sorted = [...reportSets].sort((a, b) => a - b);
    return { items, first, warm: p95(warm), rssMb, reportSet: sorted[Math.floor(sorted.length / 2)]!, reportSets, heldBytes, read };
  } finally {
    await charts.close();
    await store.close();
  }
}

export async function benchAnswerScale(): Promise<Record<string, number | string>> {
  const figures: Record<string, number | string> = {};
  const put = (label: string, r: Measured) => {
    figures[`${label}: items of history`] = r.items;
    figures[`${label}: /flow leadtime 90d first answer after opening (ms; target at 1M ≤ 1000)`] = Math.round(r.first);
    figures[`${label}: /flow leadtime 90d warm p95 of 20 (ms; target ≤ 300)`] = Math.round(r.warm);
    figures[`${label}: process RSS after (MB)`] = Math.round(r.rssMb);
    figures[`${label}: full report set over 90 days, read and computed, median of ${REPORT_SET_RUNS} (ms; target at 1M ≤ 1000)`] = Math.round(r.reportSet);
    figures[`${label}: full report set, each run (ms)`] = r.reportSets.map((ms) => Math.round(ms)).join(' / ');
    figures[`${label}: its history: items read / heap held (MB)`] = `${r.read.toLocaleString('en-US')} / ${(r.heldBytes / 2 ** 20).toFixed(1)}`;
    figures[`${label}: heap held per item of history (bytes; target ≤ 1024)`] = Math.round(r.heldBytes / r.items);
  };
  for (const [size, perDay, days] of askedSizes()) {
    const dir = mkdtempSync(join(tmpdir(), 'flow-nudge-bench-answer-'));
    try {
      put(`sqlite ${size}`, await measure(() => openStore(`file:${join(dir, 'bench.db')}`), perDay, days));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const pgUrl = benchPostgresUrl();
  if (!pgUrl) {
    figures['answer time on postgres'] = 'skipped: set TEST_DATABASE_URL=postgres://... to measure';
    return figures;
  }
  for (const [size, perDay, days] of askedSizes()) {
    await withBenchSchema(pgUrl, async (url) => put(`postgres ${size}`, await measure(() => openStore(url), perDay, days)));
  }
  return figures;
}
