/**
 * Windowed answers (issue 18, item 1): `/flow leadtime 90d` and the other metrics measured only
 * over their window read the items that can matter in it (src/store/work-item-load.ts), not the
 * whole history. On the demo stream plus items made to trip that choice (reopened, moves at one
 * instant that disagree, stuck in progress, a status the map does not name, a done status in
 * other letters, no transitions, blocked after done), stored by import and by webhook writes,
 * every windowed metric gives the same words, fields and chart as from the whole history, on
 * both databases, for several windows and days.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BoundStream } from '../../src/commands/context.ts';
import { flowHistoryCacheOf, loadFlowHistory } from '../../src/commands/flow-history-cache.ts';
import { metricAnswer } from '../../src/commands/metric-answers.ts';
import { WINDOWED_METRICS } from '../../src/commands/metric-reads.ts';
import { computeReportSet } from '../../src/core/report-set.ts';
import type { Period } from '../../src/commands/period.ts';
import { streamDataOf } from '../../src/commands/stream-data.ts';
import type { WorkItem } from '../../src/core/types.ts';
import { loadDemo } from '../../src/demo/load-demo.ts';
import { openPostgresStore, type Store } from '../../src/store/database.ts';
import { leftOutOf, loadStreamHistoryOf } from '../../src/store/stream-history.ts';
import { getStream } from '../../src/store/value-streams.ts';
import { addFlagEvents, addTransitions, importWorkItems, upsertWorkItem } from '../../src/store/work-items.ts';
import { openTestStore, testDialects } from '../support/databases.ts';
import { at, boundStream, DAY, NOW, trickyItem } from './support/tricky-items.ts';

const tricky = (key: string, transitions: WorkItem['transitions'], createdDaysAgo = 200): WorkItem => trickyItem(key, transitions, { createdDaysAgo });

const TRICKY: WorkItem[] = [
  // done long ago, reopened in the window, done again
  tricky('T-REOPENED', [
    { from: 'To Do', to: 'In Progress', at: at(190) },
    { from: 'In Progress', to: 'Done', at: at(180) },
    { from: 'Done', to: 'In Progress', at: at(20) },
    { from: 'In Progress', to: 'Done', at: at(10) },
  ]),
  // two moves at its last instant that lead to different statuses
  tricky('T-TIED', [
    { from: 'To Do', to: 'In Progress', at: at(170) },
    { from: 'In Progress', to: 'Done', at: at(160) },
    { from: 'In Progress', to: 'In Review', at: at(160) },
  ]),
  // two moves at one instant stored in the other order than the index sorts them: every read,
  // on both databases, gives them in the order they were stored
  tricky('T-TIED-BACK', [
    { from: 'To Do', to: 'In Progress', at: at(20) },
    { from: 'In Progress', to: 'In Review', at: at(12) },
    { from: 'In Progress', to: 'Done', at: at(12) },
  ]),
  // started long ago and never finished
  tricky('T-STUCK', [{ from: 'To Do', to: 'In Review', at: at(150) }]),
  // last moved into a status the map does not name
  tricky('T-UNKNOWN', [
    { from: 'To Do', to: 'In Progress', at: at(140) },
    { from: 'In Progress', to: 'Parked elsewhere', at: at(130) },
  ]),
  // done in other letters than the map writes
  tricky('T-CASE', [
    { from: 'To Do', to: 'In Progress', at: at(125) },
    { from: 'In Progress', to: ' done', at: at(120) },
  ]),
  // no transitions at all
  tricky('T-NONE', [], 100),
];

const PERIODS: (Period | undefined)[] = [
  undefined,
  { kind: 'last', days: 7, label: 'last 7 days' },
  { kind: 'last', days: 30, label: 'last 30 days' },
  { kind: 'last', days: 84, label: 'last 12 weeks' },
  { kind: 'since', date: '2026-05-01', label: 'since 2026-05-01' },
];

describe.each(testDialects())('windowed answers on %s', (dialect) => {
  let store: Store;
  let stream: BoundStream;

  beforeAll(async () => {
    store = await openTestStore(dialect);
    await loadDemo(store, { now: NOW });
    const stored = (await getStream(store.db, 'demo'))!;
    await importWorkItems(store, stored.id, TRICKY, { source: 'import' });
    // a webhook's writes: an item created, moved and blocked after it was done
    await upsertWorkItem(store.db, stored.id, { key: 'T-HOOK', type: 'defect', title: 'From a webhook', createdAt: at(300), source: 'jira' });
    await addTransitions(store.db, stored.id, 'T-HOOK', [{ from: 'To Do', to: 'In Progress', at: at(290) }]);
    await addTransitions(store.db, stored.id, 'T-HOOK', [{ from: 'In Progress', to: 'Done', at: at(280) }]);
    await addFlagEvents(store.db, stored.id, 'T-HOOK', [{ flag: 'flagged', on: true, at: at(5) }]);
    // and a move added later to a tricky item, earlier than its last (changes nothing of its last move)
    await addTransitions(store.db, stored.id, 'T-STUCK', [{ from: null, to: 'To Do', at: at(199) }]);
    stream = boundStream(stored.id, stored.map);
  }, 120_000);
  afterAll(async () => {
    await store?.close();
  });

  it('answers every windowed metric as from the whole history, reading fewer items', async () => {
    const whole = await loadStreamHistoryOf(store, { id: stream.streamId, map: stream.map });
    for (const now of [NOW, NOW - 45 * DAY]) {
      for (const period of PERIODS) {
        const full = streamDataOf(stream, whole, period, 90, now);
        const windowed = await loadStreamHistoryOf(store, { id: stream.streamId, map: stream.map }, { from: full.window.from });
        await leftOutOf(store, windowed);
        const data = streamDataOf(stream, windowed, period, 90, now);
        if (period?.kind === 'last' && period.days <= 30) expect(windowed.items.length).toBeLessThan(whole.items.length / 2);
        for (const metric of WINDOWED_METRICS) {
          expect(metricAnswer(metric, data), `${metric} ${period?.label ?? 'last 90 days'} at ${new Date(now).toISOString()}`).toEqual(metricAnswer(metric, full));
        }
      }
    }
  }, 120_000);

  it('computes the full report set over 90 days from the windowed history as from the whole one', async () => {
    const whole = await loadStreamHistoryOf(store, { id: stream.streamId, map: stream.map });
    for (const now of [NOW, NOW - 45 * DAY]) {
      const window = { from: now - 90 * DAY, to: now + 1 };
      const windowed = await loadStreamHistoryOf(store, { id: stream.streamId, map: stream.map }, { from: window.from });
      expect(windowed.items.length).toBeLessThan(whole.items.length);
      const { unknownStatuses: fromAll, ...all } = computeReportSet(whole.items, stream.map, whole.events, window, now);
      const leftOut = await leftOutOf(store, windowed);
      const { unknownStatuses: fromRead, ...read } = computeReportSet(windowed.items, stream.map, windowed.events, window, now, 'calendar', { leftOut });
      expect(read).toEqual(all);
      // the CFD's done band holds the items left out
      expect(Object.values(leftOut).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
      // statuses unknown to the map: those of the items read, a part of the whole history's
      for (const entry of fromRead) expect(fromAll.find((e) => e.status === entry.status)!.items).toBeGreaterThanOrEqual(entry.items);
    }
  }, 120_000);

  it('keeps the tricky items a window needs and leaves out what was done and still before it', async () => {
    const from = NOW - 30 * DAY;
    const windowed = await loadStreamHistoryOf(store, { id: stream.streamId, map: stream.map }, { from });
    const keys = new Set(windowed.items.map((i) => i.key));
    for (const key of ['T-REOPENED', 'T-TIED', 'T-STUCK', 'T-UNKNOWN', 'T-CASE', 'T-NONE']) expect(keys.has(key), key).toBe(true);
    // done 280 days ago, only flagged since: not in progress in the window, so not read
    expect(keys.has('T-HOOK')).toBe(false);
    const whole = await loadStreamHistoryOf(store, { id: stream.streamId, map: stream.map });
    const transitionsOf = (items: WorkItem[], key: string) => items.find((i) => i.key === key)!.transitions;
    expect(transitionsOf(windowed.items, 'T-TIED-BACK')).toHaveLength(3);
    // to In Review, then to Done, at one instant: as stored, not in the index's status order
    expect(transitionsOf(whole.items, 'T-TIED-BACK').map((t) => t.to)).toEqual(['In Progress', 'In Review', 'Done']);
    for (const key of ['T-TIED', 'T-TIED-BACK', 'T-REOPENED']) expect(transitionsOf(windowed.items, key), key).toEqual(transitionsOf(whole.items, key));
    const stuck = windowed.items.find((i) => i.key === 'T-STUCK')!;
    expect(stuck.transitions.map((t) => t.to)).toEqual(['To Do', 'In Review']);
  });

  // Postgres finds a window's transitions in the order its plan walks them; through the
  // (item_id, at, from_status, to_status) index, moves at one instant come in status order, not as stored
  if (dialect === 'postgres') {
    it('keeps moves at one instant in the order they were stored when Postgres walks the transitions’ index', async () => {
      const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(store.db);
      const indexOnly = await openPostgresStore({
        connectionString: process.env.TEST_DATABASE_URL!,
        options: `-c search_path=${rows[0]!.schema} -c enable_seqscan=off -c enable_bitmapscan=off`,
        max: 2,
      });
      try {
        const whole = await loadStreamHistoryOf(store, { id: stream.streamId, map: stream.map });
        const windowed = await loadStreamHistoryOf(indexOnly, { id: stream.streamId, map: stream.map }, { from: NOW - 30 * DAY });
        const movesOf = (items: WorkItem[], key: string) => items.find((i) => i.key === key)!.transitions.map((t) => t.to);
        // T-TIED-BACK went to In Review, then to Done, at one instant: stored in that order, indexed the other way
        expect(movesOf(windowed.items, 'T-TIED-BACK')).toEqual(['In Progress', 'In Review', 'Done']);
        for (const key of ['T-TIED', 'T-TIED-BACK', 'T-REOPENED']) expect(movesOf(windowed.items, key), key).toEqual(movesOf(whole.items, key));
      } finally {
        await indexOnly.close();
      }
    });
  }

  it('serves a windowed question from a windowed history, and a whole-history one after it reads everything', async () => {
    const asked = await loadFlowHistory(store, stream.streamId, stream.map, { from: NOW - 30 * DAY });
    expect(asked.from).toBeLessThanOrEqual(NOW - 30 * DAY);
    expect(await loadFlowHistory(store, stream.streamId, stream.map, { from: NOW - 20 * DAY })).toBe(asked);
    const whole = await loadFlowHistory(store, stream.streamId, stream.map);
    expect(whole.from).toBeUndefined();
    expect(whole.items.length).toBeGreaterThan(asked.items.length);
    // a longer window than the windowed entry holds: the whole history, being current, serves it
    expect(await loadFlowHistory(store, stream.streamId, stream.map, { from: NOW - 300 * DAY })).toBe(whole);
    expect(flowHistoryCacheOf(store)!.streamIds).toEqual([stream.streamId]);
  });
});
