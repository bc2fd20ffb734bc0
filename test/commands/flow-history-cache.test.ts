import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StreamMap, WorkItem } from '../../src/core/types.ts';
import { flowHistoryCacheOf, historyBytes, loadFlowHistory } from '../../src/commands/flow-history-cache.ts';
import type { Store } from '../../src/store/database.ts';
import { addFlowEvent } from '../../src/store/flow-events.ts';
import { bumpStreamVersion } from '../../src/store/stream-version.ts';
import { saveStream } from '../../src/store/value-streams.ts';
import { addTransitions, importWorkItems, setActualOutcome, setAnticipatedOutcome, upsertWorkItem } from '../../src/store/work-items.ts';
import { applyTrackerEvents } from '../../src/trackers/apply-events.ts';
import { storeBackfilledItems } from '../../src/trackers/store-work-items.ts';
import { openTestStore, testDialects } from '../support/databases.ts';

const T0 = Date.UTC(2026, 10, 2, 9, 0);
const HOUR = 3_600_000;
const MAP: StreamMap = {
  name: 'checkout',
  timeZone: 'UTC',
  stages: [
    { name: 'To Do', kind: 'wait', statuses: ['To Do'] },
    { name: 'Doing', kind: 'touch', statuses: ['In Progress'] },
    { name: 'Done', kind: 'done', statuses: ['Done'] },
  ],
};

function item(key: string, overrides: Partial<WorkItem> = {}): WorkItem {
  return {
    key,
    type: 'feature',
    title: `Title of ${key}`,
    parentKey: null,
    isEpic: false,
    createdAt: T0,
    transitions: [
      { from: null, to: 'To Do', at: T0 },
      { from: 'To Do', to: 'In Progress', at: T0 + HOUR },
    ],
    ...overrides,
  };
}

/** The version the cache used before migration 0013: counts, maxima and sum(updated_at % 1000003). */
async function oldSumVersion(store: Store, streamId: number): Promise<string> {
  const items = await store.db
    .selectFrom('work_item')
    .select([
      sql<number>`count(*)`.as('n'),
      sql<number | null>`max(id)`.as('last_id'),
      sql<number | null>`max(updated_at)`.as('last_update'),
      sql<number | null>`sum(updated_at % 1000003)`.as('update_sum'),
      sql<number | null>`sum(length(coalesce(anticipated_outcome, '')) + length(coalesce(actual_outcome, '')))`.as('outcome_sum'),
    ])
    .where('stream_id', '=', streamId)
    .executeTakeFirstOrThrow();
  const events = await store.db
    .selectFrom('flow_event')
    .select([sql<number>`count(*)`.as('n'), sql<number | null>`max(id)`.as('last_id')])
    .where('stream_id', '=', streamId)
    .executeTakeFirstOrThrow();
  return [items.n, items.last_id, items.last_update, items.update_sum, items.outcome_sum, events.n, events.last_id].map(String).join(':');
}

describe.each(testDialects())('the commands’ history cache on %s', (dialect) => {
  let store: Store;
  let streamId: number;
  beforeEach(async () => {
    store = await openTestStore(dialect);
    streamId = await saveStream(store.db, MAP);
    await importWorkItems(store, streamId, [item('CHK-1'), item('EPIC-1', { isEpic: true, type: 'feature', transitions: [] })], { now: T0 });
  });
  afterEach(async () => {
    await store.close();
  });

  it('answers from the cache while nothing is written, and a write that changes nothing keeps it', async () => {
    const first = await loadFlowHistory(store, streamId, MAP);
    expect(await loadFlowHistory(store, streamId, MAP)).toBe(first);
    // the same import again, the same item fields again, a transition already stored: no change
    await importWorkItems(store, streamId, [item('CHK-1')], { now: T0 + HOUR });
    await upsertWorkItem(store.db, streamId, { key: 'CHK-1', type: 'feature', title: 'Title of CHK-1', createdAt: T0, source: 'import' });
    expect(await addTransitions(store.db, streamId, 'CHK-1', [{ from: null, to: 'To Do', at: T0 }])).toBe(0);
    expect(await loadFlowHistory(store, streamId, MAP)).toBe(first);
  });

  const writes: [string, (store: Store, streamId: number) => Promise<unknown>, (history: Awaited<ReturnType<typeof loadFlowHistory>>) => unknown][] = [
    [
      'an import adding a transition',
      (s, id) => importWorkItems(s, id, [item('CHK-1', { transitions: [...item('CHK-1').transitions, { from: 'In Progress', to: 'Done', at: T0 + 3 * HOUR }] })]),
      (h) => h.items.find((i) => i.key === 'CHK-1')?.transitions.length,
    ],
    [
      'webhook processing (tracker events in the delivery’s transaction)',
      (s, id) =>
        s.db.transaction().execute((trx) =>
          applyTrackerEvents(trx, id, [{ kind: 'status-changed', source: 'jira', key: 'CHK-1', from: 'In Progress', to: 'Done', at: T0 + 2 * HOUR }], T0 + 2 * HOUR),
        ),
      (h) => h.items.find((i) => i.key === 'CHK-1')?.transitions.at(-1)?.to,
    ],
    [
      'a backfill page',
      (s, id) =>
        storeBackfilledItems(s.db, id, 'github', [
          { key: 'CHK-2', type: 'feature', title: 'Backfilled', isEpic: false, parentKey: null, createdAt: T0, closedAt: null, transitions: [{ from: null, to: 'To Do', at: T0 }] },
        ], T0 + HOUR),
      (h) => h.items.map((i) => i.key).sort(),
    ],
    ['an anticipated outcome recorded', (s, id) => setAnticipatedOutcome(s.db, id, 'EPIC-1', 'Checkout in one step'), (h) => h.items.find((i) => i.isEpic)?.anticipatedOutcome],
    ['an actual outcome recorded', (s, id) => setActualOutcome(s.db, id, 'EPIC-1', 'Abandoned carts down a third'), (h) => h.items.find((i) => i.isEpic)?.actualOutcome],
    ['a flow event logged', (s, id) => addFlowEvent(s.db, id, { at: T0 + HOUR, text: 'WIP limit 3 on Doing' }), (h) => h.events.map((e) => e.text)],
  ];

  it.each(writes)('%s: the next question reads the new history', async (_name, write, seen) => {
    const before = await loadFlowHistory(store, streamId, MAP);
    await write(store, streamId);
    const after = await loadFlowHistory(store, streamId, MAP);
    expect(after).not.toBe(before);
    expect(seen(after)).not.toEqual(seen(before));
    expect(await loadFlowHistory(store, streamId, MAP)).toBe(after);
  });

  it('a write rolled back with its transaction leaves the version, and the cached history, as they were', async () => {
    const before = await loadFlowHistory(store, streamId, MAP);
    await expect(
      store.db.transaction().execute(async (trx) => {
        await addTransitions(trx, streamId, 'CHK-1', [{ from: 'In Progress', to: 'Done', at: T0 + 2 * HOUR }]);
        throw new Error('delivery failed');
      }),
    ).rejects.toThrow('delivery failed');
    expect(await loadFlowHistory(store, streamId, MAP)).toBe(before);
  });

  it('two different histories the old sum-modulo-a-prime version could not tell apart get different versions', async () => {
    const P = 1_000_003;
    // CHK-1 is retitled at T0 + 2P (the newest update); later a replica whose clock is P ms (about
    // 17 minutes) behind retitles EPIC-1 at T0 + P. The count, the newest id, the newest update and
    // sum(updated_at % P) are all unchanged — the old version stayed the same, the history did not.
    await upsertWorkItem(store.db, streamId, { key: 'CHK-1', type: 'feature', title: 'Renamed', createdAt: T0, source: 'import' }, T0 + 2 * P);
    const before = await loadFlowHistory(store, streamId, MAP);
    const oldBefore = await oldSumVersion(store, streamId);
    await upsertWorkItem(store.db, streamId, { key: 'EPIC-1', type: 'feature', title: 'Checkout, faster', createdAt: T0, source: 'import' }, T0 + P);
    expect(await oldSumVersion(store, streamId)).toBe(oldBefore);
    const after = await loadFlowHistory(store, streamId, MAP);
    expect(after).not.toBe(before);
    expect(after.items.find((i) => i.key === 'EPIC-1')?.title).toBe('Checkout, faster');
  });
});

/** n items of three transitions each, keys PREFIX-0… */
function items(prefix: string, n: number): WorkItem[] {
  return Array.from({ length: n }, (_, i) =>
    item(`${prefix}-${i}`, { transitions: [...item('x').transitions, { from: 'In Progress', to: 'Done', at: T0 + 2 * HOUR + i }] }),
  );
}

describe.each(testDialects())('the history cache’s byte bound on %s', (dialect) => {
  let store: Store;
  const saved = process.env.FLOW_NUDGE_HISTORY_CACHE_MB;
  afterEach(async () => {
    if (saved === undefined) delete process.env.FLOW_NUDGE_HISTORY_CACHE_MB;
    else process.env.FLOW_NUDGE_HISTORY_CACHE_MB = saved;
    await store.close();
  });

  async function streamOf(name: string, n: number): Promise<number> {
    const id = await saveStream(store.db, { ...MAP, name });
    await importWorkItems(store, id, items(name, n));
    return id;
  }

  it('keeps no more estimated bytes than FLOW_NUDGE_HISTORY_CACHE_MB: the least recently asked stream goes first', async () => {
    process.env.FLOW_NUDGE_HISTORY_CACHE_MB = '1';
    store = await openTestStore(dialect);
    // 600 items × 3 transitions ≈ 0.8 MB estimated: one fits in 1 MB, two do not
    const a = await streamOf('alpha', 600);
    const b = await streamOf('beta', 600);
    const first = await loadFlowHistory(store, a, { ...MAP, name: 'alpha' });
    expect(historyBytes(first)).toBeGreaterThan(512 * 1024);
    expect(historyBytes(first)).toBeLessThan(1024 * 1024);
    expect(await loadFlowHistory(store, a, { ...MAP, name: 'alpha' })).toBe(first);
    await loadFlowHistory(store, b, { ...MAP, name: 'beta' });
    const held = flowHistoryCacheOf(store)!;
    expect(held).toMatchObject({ streamIds: [b], maxBytes: 1024 * 1024 });
    expect(held.bytes).toBeLessThanOrEqual(held.maxBytes);
    // alpha was dropped: asking again reads it afresh (and drops beta)
    const again = await loadFlowHistory(store, a, { ...MAP, name: 'alpha' });
    expect(again).not.toBe(first);
    expect(again.items).toHaveLength(600);
    expect(flowHistoryCacheOf(store)?.streamIds).toEqual([a]);
  });

  /**
   * A store whose every query is seen (a Kysely plugin): `seen` gets, for each query that reads
   * the transitions (a table reference, or the moves column's SQL), which streams the cache held
   * as it ran. (No raw SQLite handle: the Kysely reads serve.)
   */
  function watched(): { store: Store; seen: number[][] } {
    const seen: number[][] = [];
    const probe: Store = {
      ...store,
      sqlite: undefined,
      db: store.db.withPlugin({
        transformQuery(args) {
          if (/\\?"transition\\?"/.test(JSON.stringify(args.node))) seen.push([...(flowHistoryCacheOf(probe)?.streamIds ?? [])]);
          return args.node;
        },
        async transformResult(args) {
          return args.result;
        },
      }),
    };
    return { store: probe, seen };
  }

  it('makes room before it reads: the stream that goes is out of the cache before the next stream’s transitions are read', async () => {
    process.env.FLOW_NUDGE_HISTORY_CACHE_MB = '1';
    store = await openTestStore(dialect);
    const a = await streamOf('alpha', 800);
    const b = await streamOf('beta', 800);
    const { store: probe, seen } = watched();
    // compact: 800 items ≈ 0.6 MB estimated, known from the ids before the first chunk is read
    await loadFlowHistory(probe, a, { ...MAP, name: 'alpha' }, { compact: true });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((held) => held.length === 0)).toBe(true);
    seen.length = 0;
    await loadFlowHistory(probe, b, { ...MAP, name: 'beta' }, { compact: true });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((held) => !held.includes(a))).toBe(true);
    expect(flowHistoryCacheOf(probe)?.streamIds).toEqual([b]);
    // whole: read once, its size is known for the next read of that stream
    const c = await streamOf('gamma', 500);
    await loadFlowHistory(probe, c, { ...MAP, name: 'gamma' }); // ≈ 0.6 MB: beta goes after this read
    expect(flowHistoryCacheOf(probe)?.streamIds).toEqual([c]);
    await loadFlowHistory(probe, b, { ...MAP, name: 'beta' }, { compact: true });
    seen.length = 0;
    await bumpStreamVersion(store.db, c); // a write: gamma is read again, and beta makes room for it first
    await loadFlowHistory(probe, c, { ...MAP, name: 'gamma' });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((held) => !held.includes(b))).toBe(true);
    expect(flowHistoryCacheOf(probe)?.streamIds).toEqual([c]);
  });

  it('answers from a history larger than the whole bound without keeping it', async () => {
    process.env.FLOW_NUDGE_HISTORY_CACHE_MB = '1';
    store = await openTestStore(dialect);
    const big = await streamOf('big', 1000); // ≈ 1.3 MB estimated
    const first = await loadFlowHistory(store, big, { ...MAP, name: 'big' });
    expect(first.items).toHaveLength(1000);
    expect(flowHistoryCacheOf(store)).toMatchObject({ streamIds: [], bytes: 0 });
    expect(await loadFlowHistory(store, big, { ...MAP, name: 'big' })).not.toBe(first);
  });

  it('defaults to 128 MB, and a bad value is an error naming the variable and what it takes', async () => {
    delete process.env.FLOW_NUDGE_HISTORY_CACHE_MB;
    store = await openTestStore(dialect);
    const id = await streamOf('alpha', 1);
    await loadFlowHistory(store, id, { ...MAP, name: 'alpha' });
    expect(flowHistoryCacheOf(store)?.maxBytes).toBe(128 * 1024 * 1024);

    const other = await openTestStore(dialect);
    try {
      process.env.FLOW_NUDGE_HISTORY_CACHE_MB = 'lots';
      await expect(loadFlowHistory(other, id, { ...MAP, name: 'alpha' })).rejects.toThrow(/FLOW_NUDGE_HISTORY_CACHE_MB="lots" is not valid.*0 \(keep none\) to 65536/);
      expect(flowHistoryCacheOf(other)).toBeNull();
    } finally {
      await other.close();
    }
  });
});
