import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WorkItem } from '../../src/core/types.ts';
import type { Store } from '../../src/store/database.ts';
import { saveStream } from '../../src/store/value-streams.ts';
import {
  addTransitions,
  getWorkItem,
  importWorkItems,
  loadWorkItems,
  setActualOutcome,
  setAnticipatedOutcome,
  upsertWorkItem,
} from '../../src/store/work-items.ts';
import { openTestStore, testDialects } from '../support/databases.ts';

const T0 = Date.UTC(2026, 1, 2, 9, 0);
const HOUR = 3_600_000;
const MAP = { name: 'checkout', timeZone: 'Europe/Berlin', stages: [{ name: 'Done', kind: 'done' as const, statuses: ['Done'] }] };

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
      { from: 'In Progress', to: 'Done', at: T0 + 5 * HOUR },
    ],
    ...overrides,
  };
}

/** n items with `per` transitions each */
function manyItems(n: number, per: number): WorkItem[] {
  return Array.from({ length: n }, (_, i) =>
    item(`BULK-${i}`, {
      transitions: Array.from({ length: per }, (_, j) => ({ from: j === 0 ? null : `S${j - 1}`, to: `S${j}`, at: T0 + i * 1000 + j * HOUR })),
    }),
  );
}

async function count(store: Store, table: 'work_item' | 'transition'): Promise<number> {
  const row = await store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

describe.each(testDialects())('work items on %s', (dialect) => {
  let store: Store;
  let streamId: number;
  beforeEach(async () => {
    store = await openTestStore(dialect);
    streamId = await saveStream(store.db, MAP);
  });
  afterEach(async () => {
    await store.close();
  });

  it('imports items with transitions, and a second import of the same input adds nothing', async () => {
    const items = [item('CHK-1'), item('CHK-2', { type: 'defect' })];
    expect(await importWorkItems(store, streamId, items)).toEqual({ itemsAdded: 2, itemsUpdated: 0, transitionsAdded: 6, flagsAdded: 0 });
    expect(await importWorkItems(store, streamId, items)).toEqual({ itemsAdded: 0, itemsUpdated: 0, transitionsAdded: 0, flagsAdded: 0 });
    expect(await count(store, 'work_item')).toBe(2);
    expect(await count(store, 'transition')).toBe(6);
  });

  it('updates changed fields and adds only the new transitions on a later import', async () => {
    await importWorkItems(store, streamId, [item('CHK-1')]);
    const later = item('CHK-1', { title: 'Renamed' });
    later.transitions.push({ from: 'Done', to: 'In Progress', at: T0 + 9 * HOUR });
    expect(await importWorkItems(store, streamId, [later, item('CHK-2')])).toEqual({ itemsAdded: 1, itemsUpdated: 1, transitionsAdded: 4, flagsAdded: 0 });
    const loaded = await getWorkItem(store.db, streamId, 'CHK-1');
    expect(loaded?.title).toBe('Renamed');
    expect(loaded?.transitions).toHaveLength(4);
  });

  it('stores nothing when the import fails midway', async () => {
    await importWorkItems(store, streamId, [item('KEEP-1')]);
    const items = manyItems(3_000, 10); // 30,000 transitions: progress is reported midway
    const attempt = importWorkItems(store, streamId, items, {
      onProgress: (done) => {
        if (done > 0 && done < 30_000) throw new Error('disk full');
      },
    });
    await expect(attempt).rejects.toThrow('disk full');
    expect(await count(store, 'work_item')).toBe(1);
    expect(await count(store, 'transition')).toBe(3);
    // and the same import goes through afterwards
    expect((await importWorkItems(store, streamId, items)).transitionsAdded).toBe(30_000);
  });

  it('refuses a transition without a real time before writing anything', async () => {
    const bad = item('BAD-1', { transitions: [{ from: null, to: 'To Do', at: Number.NaN }] });
    await expect(importWorkItems(store, streamId, [item('OK-1'), bad])).rejects.toThrow(/BAD-1.*epoch milliseconds/);
    expect(await count(store, 'work_item')).toBe(0);
  });

  it('round-trips nulls, booleans, outcomes and extreme epoch values', async () => {
    const far = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z
    const before1970 = -86_400_000;
    const epic = item('EPIC-1', {
      type: 'risk',
      isEpic: true,
      createdAt: before1970,
      anticipatedOutcome: 'Checkout drop-off below 20%',
      transitions: [
        { from: null, to: 'To Do', at: before1970 },
        { from: 'To Do', to: 'Done', at: far },
      ],
    });
    const child = item('CHK-7', { parentKey: 'EPIC-1', type: 'debt' });
    await importWorkItems(store, streamId, [epic, child]);
    const loaded = await loadWorkItems(store.db, streamId);
    const byKey = new Map(loaded.map((entry) => [entry.key, entry]));
    expect(byKey.get('EPIC-1')).toEqual({ ...epic, actualOutcome: null });
    expect(byKey.get('CHK-7')).toEqual({ ...child, anticipatedOutcome: null, actualOutcome: null });
    expect(byKey.get('CHK-7')!.transitions[0].from).toBeNull();
  });

  it('loads transitions sorted by time whatever the input order', async () => {
    const shuffled = item('CHK-1');
    shuffled.transitions.reverse();
    await importWorkItems(store, streamId, [shuffled]);
    const [loaded] = await loadWorkItems(store.db, streamId);
    expect(loaded.transitions.map((t) => t.to)).toEqual(['To Do', 'In Progress', 'Done']);
  });

  it('loads only the stream asked for, and from a time on only the items that can matter then', async () => {
    const other = await saveStream(store.db, { ...MAP, name: 'other' });
    await importWorkItems(store, other, [item('OTHER-1')]);
    const old = item('OLD-1', { createdAt: T0 - 100 * HOUR, transitions: [{ from: null, to: 'Done', at: T0 - 90 * HOUR }] });
    const moved = item('MOVED-1', { createdAt: T0 - 100 * HOUR });
    await importWorkItems(store, streamId, [old, moved, item('NEW-1', { createdAt: T0 + HOUR })]);
    expect((await loadWorkItems(store.db, streamId)).map((entry) => entry.key).sort()).toEqual(['MOVED-1', 'NEW-1', 'OLD-1']);
    // OLD-1 was done before T0 and never moved again: nothing from T0 on can count it
    const recent = await loadWorkItems(store.db, streamId, { matterFrom: { at: T0, map: MAP } });
    expect(recent.map((entry) => entry.key).sort()).toEqual(['MOVED-1', 'NEW-1']);
    expect(recent.find((entry) => entry.key === 'MOVED-1')!.transitions).toHaveLength(3);
  });

  it('from a time on, keeps every item not last moved into a done status before then, whatever the statuses sort as', async () => {
    // three done statuses, and statuses that sort before, between and after them (in any collation)
    const map = {
      ...MAP,
      name: 'many-done',
      stages: [
        { name: 'Work', kind: 'touch' as const, statuses: ['In Progress'] },
        { name: 'Done', kind: 'done' as const, statuses: ['Released', 'Done', 'Mergé', 'Done'] },
      ],
    };
    const id = await saveStream(store.db, map);
    const before = T0 - 90 * HOUR;
    const last = (key: string, to: string, at: number) => item(key, { createdAt: before - HOUR, transitions: [{ from: null, to, at }] });
    const items = [
      last('DONE-OLD', 'Done', before),
      last('RELEASED-OLD', 'Released', before),
      last('MERGE-OLD', 'Mergé', before),
      last('DONE-NEW', 'Done', T0 + HOUR),
      last('MERGE-NEW', 'Mergé', T0),
      last('A-WAIT', 'Awaiting', before),
      last('E-WAIT', 'Escalated', before),
      last('N-WAIT', 'Needs Info', before),
      last('Z-WAIT', 'Zzz', before),
      last('LOWER-DONE', 'done', before),
      last('EMOJI', '🚀 Shipped', before),
      item('NO-MOVES', { transitions: [] }),
    ];
    await importWorkItems(store, id, items);
    const kept = (await loadWorkItems(store.db, id, { matterFrom: { at: T0, map } })).map((entry) => entry.key).sort();
    expect(kept).toEqual(['A-WAIT', 'DONE-NEW', 'E-WAIT', 'EMOJI', 'LOWER-DONE', 'MERGE-NEW', 'N-WAIT', 'NO-MOVES', 'Z-WAIT']);
    // a map without a done status leaves nothing out
    const noDone = { ...map, stages: [map.stages[0]!] };
    expect(await loadWorkItems(store.db, id, { matterFrom: { at: T0, map: noDone } })).toHaveLength(items.length);
  });

  it('enforces one row per transition (item, from, to, at)', async () => {
    await importWorkItems(store, streamId, [item('CHK-1')]);
    const stored = await getWorkItem(store.db, streamId, 'CHK-1');
    const duplicate = { item_id: stored!.id, from_status: '', to_status: 'To Do', at: T0, source: 'test' };
    await expect(store.db.insertInto('transition').values(duplicate).execute()).rejects.toThrow(/unique|duplicate/i);
    expect(await addTransitions(store.db, streamId, 'CHK-1', [{ from: null, to: 'To Do', at: T0 }])).toBe(0);
    expect(await addTransitions(store.db, streamId, 'CHK-1', [{ from: 'Done', to: 'In Progress', at: T0 + 9 * HOUR }])).toBe(1);
    await expect(addTransitions(store.db, streamId, 'CHK-1', [{ from: 'Done', to: '', at: T0 }])).rejects.toThrow(/CHK-1.*"to" status/);
    expect((await getWorkItem(store.db, streamId, 'CHK-1'))!.transitions).toHaveLength(4);
  });

  it('upserts an item from a webhook idempotently, keeping fields it was not given', async () => {
    const fields = { key: 'CHK-9', type: 'feature' as const, title: 'Pay by invoice', createdAt: T0, source: 'jira', isEpic: true, outcomeOwner: 'pm@example.com' };
    expect(await upsertWorkItem(store.db, streamId, fields, T0)).toMatchObject({ created: true, changed: true });
    expect(await upsertWorkItem(store.db, streamId, fields, T0 + 1)).toMatchObject({ created: false, changed: false });
    expect(await upsertWorkItem(store.db, streamId, { ...fields, title: 'Pay later', isEpic: undefined, outcomeOwner: undefined }, T0 + 2)).toMatchObject({
      created: false,
      changed: true,
    });
    const stored = await getWorkItem(store.db, streamId, 'CHK-9');
    expect(stored).toMatchObject({ title: 'Pay later', isEpic: true, outcomeOwner: 'pm@example.com', source: 'jira', updatedAt: T0 + 2, closedAt: null });
  });

  it('refuses transitions for an item it does not know, naming the fix', async () => {
    await expect(addTransitions(store.db, streamId, 'NOPE-1', [{ from: null, to: 'To Do', at: T0 }])).rejects.toThrow(/NOPE-1.*upsertWorkItem/);
  });

  it('records anticipated and actual outcomes, and keeps them through a re-import', async () => {
    await importWorkItems(store, streamId, [item('EPIC-2', { isEpic: true })]);
    expect(await setAnticipatedOutcome(store.db, streamId, 'EPIC-2', 'Fewer support tickets')).toBe(true);
    expect(await setActualOutcome(store.db, streamId, 'EPIC-2', 'Tickets down 30%')).toBe(true);
    expect(await setAnticipatedOutcome(store.db, streamId, 'NOPE-1', 'x')).toBe(false);
    expect((await importWorkItems(store, streamId, [item('EPIC-2', { isEpic: true })])).itemsUpdated).toBe(0);
    const stored = await getWorkItem(store.db, streamId, 'EPIC-2');
    expect(stored).toMatchObject({ anticipatedOutcome: 'Fewer support tickets', actualOutcome: 'Tickets down 30%' });
  });

  it('merges an item given twice in one import', async () => {
    const first = item('CHK-1', { transitions: [{ from: null, to: 'To Do', at: T0 }] });
    const second = item('CHK-1', { title: 'Later title', transitions: [{ from: 'To Do', to: 'Done', at: T0 + HOUR }] });
    expect(await importWorkItems(store, streamId, [first, second])).toEqual({ itemsAdded: 1, itemsUpdated: 0, transitionsAdded: 2, flagsAdded: 0 });
    expect((await getWorkItem(store.db, streamId, 'CHK-1'))?.title).toBe('Later title');
  });

  it('reports progress in transitions up to the total', async () => {
    const seen: [number, number][] = [];
    await importWorkItems(store, streamId, manyItems(2_500, 10), { onProgress: (done, total) => seen.push([done, total]) });
    expect(seen.at(-1)).toEqual([25_000, 25_000]);
    expect(seen.length).toBeGreaterThan(1);
  });
});

describe('bulk import speed on sqlite', () => {
  it('stores 300,000 transitions in one import and loads them back', async () => {
    const store = await openTestStore('sqlite');
    try {
      const streamId = await saveStream(store.db, MAP);
      const items = manyItems(30_000, 10);
      // the speed (>= 100,000/s for a million, file to database) is measured by npm run bench
      const result = await importWorkItems(store, streamId, items);
      expect(result.transitionsAdded).toBe(300_000);
      const loaded = await loadWorkItems(store.db, streamId);
      expect(loaded).toHaveLength(30_000);
      expect(loaded.reduce((sum, entry) => sum + entry.transitions.length, 0)).toBe(300_000);
    } finally {
      await store.close();
    }
  });
});
