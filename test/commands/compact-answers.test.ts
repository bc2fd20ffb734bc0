/**
 * Compact histories (issue 18, bounded memory): the whole-history answers — throughput and WIP
 * with their XmR readings, the XmR charts of all four series on both scales, the forecast's
 * stability and sample — read a stream's history in chunks, each item kept as a compact timeline
 * (src/core/compact-timeline.ts), and so does the signal check's reading. On the demo stream plus items made to trip the compaction
 * (reopened, paused back in the backlog, a status the map does not name between moves, done in
 * two steps, never started, no transitions), read in chunks that split them, every one of those
 * answers is the same as from the whole history, with pause-aware cycle time off and on, on both
 * databases; the measures that need every stage refuse a compact history.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flowHistoryCacheOf, loadFlowHistory } from '../../src/commands/flow-history-cache.ts';
import { metricAnswer, xmrAnswer } from '../../src/commands/metric-answers.ts';
import { COMPACT_METRICS, WINDOWED_METRICS } from '../../src/commands/metric-reads.ts';
import { XMR_SERIES } from '../../src/commands/parse.ts';
import type { Period } from '../../src/commands/period.ts';
import { streamDataOf } from '../../src/commands/stream-data.ts';
import { compactTimeline } from '../../src/core/compact-timeline.ts';
import { dailyThroughputBefore } from '../../src/core/forecast.ts';
import { forecastStability } from '../../src/core/forecast-stability.ts';
import { inProgressIntervals } from '../../src/core/in-progress.ts';
import { pausedSpans } from '../../src/core/paused-time.ts';
import { buildTimelines } from '../../src/core/timeline.ts';
import { watchedSeries } from '../../src/nudges/signal-series.ts';
import type { StreamMap, WorkItem } from '../../src/core/types.ts';
import { loadDemo } from '../../src/demo/load-demo.ts';
import type { Store } from '../../src/store/database.ts';
import { flowTimelines, loadCompactHistoryOf, loadStreamHistoryOf } from '../../src/store/stream-history.ts';
import { getStream } from '../../src/store/value-streams.ts';
import { importWorkItems } from '../../src/store/work-items.ts';
import { openTestStore, testDialects } from '../support/databases.ts';
import { at, boundStream, DAY, NOW, trickyItem } from './support/tricky-items.ts';

const tricky = (key: string, transitions: WorkItem['transitions'], createdDaysAgo = 200): WorkItem => trickyItem(key, transitions, { createdDaysAgo, type: 'defect' });

const TRICKY: WorkItem[] = [
  tricky('T-REOPENED', [
    { from: 'To Do', to: 'In Progress', at: at(190) },
    { from: 'In Progress', to: 'Done', at: at(180) },
    { from: 'Done', to: 'In Review', at: at(120) },
    { from: 'In Review', to: 'Done', at: at(100) },
  ]),
  // started, back in the backlog for weeks (a pause), started again, done
  tricky('T-PAUSED', [
    { from: 'To Do', to: 'In Progress', at: at(150) },
    { from: 'In Progress', to: 'To Do', at: at(140, 15) },
    { from: 'To Do', to: 'In Progress', at: at(110, 9) },
    { from: 'In Progress', to: 'In Review', at: at(105) },
    { from: 'In Review', to: 'Done', at: at(95) },
  ]),
  // a status the map does not name between two in-progress ones
  tricky('T-UNKNOWN', [
    { from: 'To Do', to: 'In Progress', at: at(140) },
    { from: 'In Progress', to: 'Parked elsewhere', at: at(130) },
    { from: 'Parked elsewhere', to: 'In Review', at: at(120) },
    { from: 'In Review', to: 'Done', at: at(60) },
  ]),
  // done, then reopened at the same instant it left done, then done again
  tricky('T-BOUNCE', [
    { from: 'To Do', to: 'In Progress', at: at(90) },
    { from: 'In Progress', to: 'Done', at: at(80) },
    { from: 'Done', to: 'In Progress', at: at(80, 11) },
    { from: 'In Progress', to: 'Done', at: at(70) },
  ]),
  tricky('T-NEVER', [{ from: null, to: 'To Do', at: at(50) }]),
  tricky('T-NONE', [], 100),
];

const PERIODS: (Period | undefined)[] = [undefined, { kind: 'last', days: 30, label: 'last 30 days' }, { kind: 'since', date: '2026-05-01', label: 'since 2026-05-01' }];

describe.each(testDialects())('compact histories on %s', (dialect) => {
  let store: Store;
  let streamId: number;
  let demoMap: StreamMap;

  beforeAll(async () => {
    store = await openTestStore(dialect);
    await loadDemo(store, { now: NOW });
    const stored = (await getStream(store.db, 'demo'))!;
    await importWorkItems(store, stored.id, TRICKY, { source: 'import' });
    streamId = stored.id;
    demoMap = stored.map;
  }, 120_000);
  afterAll(async () => {
    await store?.close();
  });

  for (const pauseAware of [false, true]) {
    it(`answers throughput, WIP, every XmR, the forecast and the signal check as from the whole history (pause-aware cycle time ${pauseAware ? 'on' : 'off'})`, async () => {
      const map: StreamMap = { ...demoMap, pauseAwareCycleTime: pauseAware };
      const stream = boundStream(streamId, map);
      const whole = await loadStreamHistoryOf(store, { id: streamId, map });
      // 97 items a chunk: chunk edges fall inside the demo's items and between the tricky ones
      const compact = await loadCompactHistoryOf(store, { id: streamId, map }, { chunkItems: 97 });
      expect(compact.compact).toBe(true);
      expect(compact.items.map((i) => i.key)).toEqual(whole.items.map((i) => i.key));
      expect(compact.items.every((i) => i.transitions.length === 0)).toBe(true);
      let stepsWhole = 0;
      let stepsCompact = 0;
      for (const t of flowTimelines(whole)) stepsWhole += t.steps.length;
      for (const t of flowTimelines(compact)) stepsCompact += t.steps.length;
      expect(stepsCompact).toBeLessThan(stepsWhole / 2);
      for (const now of [NOW, NOW - 45 * DAY]) {
        for (const period of PERIODS) {
          const full = streamDataOf(stream, whole, period, 90, now);
          const data = streamDataOf(stream, compact, period, 90, now);
          for (const metric of COMPACT_METRICS) expect(metricAnswer(metric, data), `${metric} ${period?.label}`).toEqual(metricAnswer(metric, full));
        }
        const fullAll = streamDataOf(stream, whole, undefined, 'all', now);
        const compactAll = streamDataOf(stream, compact, undefined, 'all', now);
        for (const series of XMR_SERIES) {
          for (const scale of ['log', 'linear'] as const) expect(xmrAnswer(compactAll, series, scale), `xmr ${series} ${scale}`).toEqual(xmrAnswer(fullAll, series, scale));
        }
        // the signal check's series (src/nudges/signal-alert.ts reads a compact history)
        expect(watchedSeries(flowTimelines(compact), map, compact.events, now)).toEqual(watchedSeries(whole.items, map, whole.events, now));
        const stability = forecastStability(flowTimelines(compact), map, compact.events, now);
        expect(stability).toEqual(forecastStability(flowTimelines(whole), map, whole.events, now));
        expect(dailyThroughputBefore(flowTimelines(compact), map, now, stability.sampleDays)).toEqual(dailyThroughputBefore(flowTimelines(whole), map, now, stability.sampleDays));
      }
    }, 120_000);
  }

  it('keeps each tricky item\'s start, arrival, completion, time in progress and pauses', async () => {
    const whole = await loadStreamHistoryOf(store, { id: streamId, map: demoMap });
    const tricky = buildTimelines(whole.items.filter((i) => i.key.startsWith('T-')), demoMap);
    expect(tricky).toHaveLength(TRICKY.length);
    for (const t of tricky) {
      const c = compactTimeline(t);
      expect([c.arrivedAt, c.startedAt, c.completedAt, c.arrived ?? true], t.item.key).toEqual([t.arrivedAt, t.startedAt, t.completedAt, t.arrived ?? true]);
      expect(inProgressIntervals(c), t.item.key).toEqual(inProgressIntervals(t));
      expect(pausedSpans(c, NOW), t.item.key).toEqual(pausedSpans(t, NOW));
    }
    // the pause is still there, and the reopened item is in progress twice
    expect(pausedSpans(compactTimeline(tricky.find((t) => t.item.key === 'T-PAUSED')!), NOW)).toEqual([[at(140, 15), at(110, 9)]]);
    expect(inProgressIntervals(compactTimeline(tricky.find((t) => t.item.key === 'T-REOPENED')!))).toHaveLength(4);
  });

  it('refuses the measures that need every stage, rather than answer them short', async () => {
    const compact = await loadCompactHistoryOf(store, { id: streamId, map: demoMap });
    const data = streamDataOf(boundStream(streamId, demoMap), compact, undefined, 90, NOW);
    for (const metric of WINDOWED_METRICS) {
      if (metric === 'leadtime' || metric === 'cycletime' || metric === 'distribution') continue;
      expect(() => metricAnswer(metric, data), metric).toThrow(/compact timelines/);
    }
  });

  it('serves a compact question from the cache, and from a whole history when one is cached', async () => {
    const first = await loadFlowHistory(store, streamId, demoMap, { compact: true });
    expect(first.compact).toBe(true);
    expect(await loadFlowHistory(store, streamId, demoMap, { compact: true })).toBe(first);
    const whole = await loadFlowHistory(store, streamId, demoMap);
    expect(whole.compact).toBeUndefined();
    expect(await loadFlowHistory(store, streamId, demoMap, { compact: true })).toBe(whole);
    expect(flowHistoryCacheOf(store)!.streamIds).toEqual([streamId]);
  });
});
