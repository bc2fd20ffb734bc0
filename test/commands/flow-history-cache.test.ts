import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StreamMap, WorkItem } from '../../src/core/types.ts';
import { loadFlowHistory } from '../../src/commands/flow-history-cache.ts';
import type { Store } from '../../src/store/database.ts';
import { addFlowEvent } from '../../src/store/flow-events.ts';
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
