/**
 * Nudge figures (`npm run bench nudges`):
 * - the weekly check-in job over 1,000 channels (100 value streams of a year's history, 10
 *   channels each, every check-in due at the same minute), with charts, into the outbox on
 *   SQLite: wall time (target ≤ 5 minutes) and peak RSS (target ≤ 300 MB). The database is
 *   set up here; the job runs in a fresh process started as the bot is (bench/weekly-job.ts,
 *   from the build, with Slack, Teams and the server loaded), so setup does not count;
 * - the signal-alert simulation of scripts/simulate-nudges.ts: alerts per stable stream per
 *   quarter (target ≤ 1) and the share of 1.5-sigma lead-time shifts detected within 8 points
 *   (target ≥ 90%). NUDGE_BENCH_STREAMS sets the number of simulated streams (default 1,000).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt } from '../bin/build.js';
import { generateDemoStream } from '../src/demo/demo-stream.ts';
import { openStore } from '../src/store/database.ts';
import { countOutboxByState } from '../src/store/outbox.ts';
import { saveStream } from '../src/store/value-streams.ts';
import { importWorkItems } from '../src/store/work-items.ts';
import { addFlowEvent } from '../src/store/flow-events.ts';
import { simulateNudges } from '../scripts/simulate-nudges.ts';

const CHANNELS_PER_STREAM = 10;

interface WeeklyJobFigures {
  seconds: number;
  ran: number;
  failed: number;
  idleMb: number;
  maxRssMb: number;
  heapTotalMbAtEnd: number;
}

/** Runs bench/weekly-job.ts from its build in a child process and reads its figures. */
function runWeeklyJob(databaseUrl: string, dueIso: string): WeeklyJobFigures {
  const built = ensureBuilt('bench/weekly-job.ts', 'bench-weekly-job.mjs');
  const child = spawnSync(process.execPath, ['--expose-gc', built, databaseUrl, dueIso], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const line = child.stdout.trim().split('\n').pop() ?? '';
  if (child.status !== 0 || !line.startsWith('{')) throw new Error(`the weekly job's process failed (exit ${child.status}): ${child.stdout}`);
  return JSON.parse(line) as WeeklyJobFigures;
}

export async function benchWeeklyCheckin(channels = 1000): Promise<Record<string, number | string>> {
  const dir = mkdtempSync(join(tmpdir(), 'flow-nudge-bench-nudges-'));
  const store = await openStore(`file:${join(dir, 'bench.db')}`);
  try {
    const end = Date.parse('2026-11-22T12:00:00Z');
    const streams = Math.ceil(channels / CHANNELS_PER_STREAM);
    const setupStarted = performance.now();
    let transitions = 0;
    for (let s = 0; s < streams; s++) {
      const demo = generateDemoStream({ end, seed: 100 + s });
      const streamId = await saveStream(store.db, { ...demo.map, name: `team-${s}` }, end);
      const result = await importWorkItems(store, streamId, demo.items, { source: 'bench', now: end });
      transitions += result.transitionsAdded;
      for (const event of demo.events) await addFlowEvent(store.db, streamId, event, end);
      const rows = Array.from({ length: Math.min(CHANNELS_PER_STREAM, channels - s * CHANNELS_PER_STREAM) }, (_, c) => ({
        platform: c % 2 === 0 ? 'slack' : 'teams',
        channel_id: `C-${s}-${c}`,
        team_id: null,
        stream_id: streamId,
        timezone: 'Europe/Berlin',
        checkin_day: 'monday',
        checkin_time: '09:30',
        created_at: end,
      }));
      await store.db.insertInto('channel_binding').values(rows).execute();
    }
    const setupSeconds = (performance.now() - setupStarted) / 1000;
    const job = runWeeklyJob(`file:${join(dir, 'bench.db')}`, '2026-11-23T08:30:00Z'); // Monday 09:30 in Berlin
    const outbox = await countOutboxByState(store.db);
    return {
      'weekly check-in: channels': channels,
      'weekly check-in: value streams (a year of history each)': streams,
      'weekly check-in: transitions stored': transitions,
      'weekly check-in: setup s': Number(setupSeconds.toFixed(1)),
      'weekly check-in: job s (target ≤ 300)': Number(job.seconds.toFixed(1)),
      'weekly check-in: ran / failed': `${job.ran} / ${job.failed}`,
      'weekly check-in: agendas in the outbox': outbox.pending,
      "weekly check-in: the bot process's RSS MB before the job": Math.round(job.idleMb),
      "weekly check-in: the bot process's peak RSS MB (target ≤ 300)": Math.round(job.maxRssMb),
      'weekly check-in: V8 heap MB at the end': Math.round(job.heapTotalMbAtEnd),
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchNudges(): Promise<Record<string, number | string>> {
  const figures = await benchWeeklyCheckin(Number(process.env.NUDGE_BENCH_CHANNELS ?? 1000));
  const sim = simulateNudges(Number(process.env.NUDGE_BENCH_STREAMS ?? 1000));
  return {
    ...figures,
    'simulation: stable streams': sim.streams,
    'simulation: alerts per stable stream per quarter (target ≤ 1)': Number(sim.stableAlertsPerStreamPerQuarter.toFixed(2)),
    'simulation: stable streams with no alert in the quarter': `${Math.round(sim.stableStreamsWithoutAlert * 100)}%`,
    'simulation: most alerts on one stable stream': sim.stableMaxAlerts,
    'simulation: 1.5 sigma of lead time (days)': Number(sim.shiftSigmaDays.toFixed(2)),
    'simulation: shifts detected within 8 points (target ≥ 90%)': `${(sim.shiftDetectedWithin8Points * 100).toFixed(1)}%`,
    'simulation: s': Number(sim.seconds.toFixed(1)),
  };
}
