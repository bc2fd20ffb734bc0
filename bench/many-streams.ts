/**
 * Many large streams in one bot (issue 18, "bounded memory"): 10 value streams of 100k items each
 * (a year of the demo's shape at 340 arrivals a day, 8.6M transitions in all) in one SQLite store,
 * each bound to a channel. A child process, as the bot, answers a round of questions about every
 * stream (windowed and whole-history ones, with their charts) twice, and reports its RSS: at the
 * start, after each round, and its peak (./peak-rss.mjs). The history cache keeps its default
 * bound (FLOW_NUDGE_HISTORY_CACHE_MB=128). Target: RSS under 500 MB throughout.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createChartRenderer } from '../src/charts/index.ts';
import { runCommand } from '../src/commands/index.ts';
import { generateDemoStream } from '../src/demo/demo-stream.ts';
import { openStore } from '../src/store/database.ts';
import { saveStream } from '../src/store/value-streams.ts';
import { importWorkItems } from '../src/store/work-items.ts';
import { LAUNCHER_FLAGS } from './launcher-flags.ts';

export const END = Date.UTC(2026, 10, 24);
export const STREAMS = 10;
/** what the teams ask, in one round per stream */
export const QUESTIONS = ['leadtime 90d', 'cycletime 30d', 'aging', 'cfd 30d', 'throughput', 'wip', 'xmr leadtime', 'forecast 30 items', 'stages 30d', 'map'];

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PEAK_RSS = fileURLToPath(new URL('./peak-rss.mjs', import.meta.url));
const CHILD = fileURLToPath(new URL('./many-streams-child.ts', import.meta.url));

export async function benchManyStreams(): Promise<Record<string, number | string>> {
  const figures: Record<string, number | string> = {};
  const dir = mkdtempSync(join(tmpdir(), 'flow-nudge-bench-streams-'));
  const url = `file:${join(dir, 'bench.db')}`;
  try {
    const store = await openStore(url);
    const charts = createChartRenderer();
    let items = 0;
    let transitions = 0;
    try {
      for (let i = 0; i < STREAMS; i += 1) {
        const stream = generateDemoStream({ end: END, arrivalsPerDay: 340, days: 365, seed: 100 + i });
        const id = await saveStream(store.db, { ...stream.map, name: `team-${i}` });
        const result = await importWorkItems(store, id, stream.items, { source: 'import' });
        items += stream.items.length;
        transitions += result.transitionsAdded;
        await runCommand({ store, charts, platform: 'slack', channelId: `C-TEAM-${i}`, teamId: 'T1', userId: 'U1', now: END }, `bind team-${i}`);
      }
    } finally {
      await charts.close();
      await store.close();
    }
    figures.streams = STREAMS;
    figures['items of history, all streams'] = items;
    figures['transitions, all streams'] = transitions;
    // the bot's node flags, as its launcher passes them (bin/flow-nudge.js)
    const child = spawnSync(process.execPath, [...LAUNCHER_FLAGS, '--import', PEAK_RSS, join(ROOT, 'bin', 'run-ts.js'), CHILD, url], {
      encoding: 'utf8',
      env: { ...process.env, MIMALLOC_PURGE_DELAY: '200' },
      maxBuffer: 16 * 2 ** 20,
    });
    if (child.status !== 0) throw new Error(`many-streams child failed (${child.status}): ${child.stderr.slice(-2000)}`);
    const report = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as Record<string, number>;
    const peakKib = Number(/peak-rss-kib (\d+)/.exec(child.stderr)?.[1]);
    figures['bot RSS after opening the store (MB)'] = report.startMb;
    figures['bot RSS after round 1 (MB)'] = report.round1Mb;
    figures['bot RSS after round 2 (MB)'] = report.round2Mb;
    figures['bot peak RSS while answering (MB; target < 500)'] = Math.round(peakKib / 1024);
    figures['answers given'] = report.answers;
    figures['answer time p50 / p95 / max (ms)'] = `${report.p50} / ${report.p95} / ${report.max}`;
    figures['history cache held at the end (MB, bound 128)'] = report.cacheMb;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}
