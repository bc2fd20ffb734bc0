import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StreamMap } from '../../src/core/types.ts';
import { bindChannel, getBinding, listBindings, unbindChannel } from '../../src/store/channel-bindings.ts';
import type { Store } from '../../src/store/database.ts';
import { addFlowEvent, listFlowEvents } from '../../src/store/flow-events.ts';
import { getStream, getStreamById, listStreams, saveStream } from '../../src/store/value-streams.ts';
import { openTestStore, testDialects } from '../support/databases.ts';

const T0 = Date.UTC(2026, 1, 2, 9, 0);
const MAP: StreamMap = {
  name: 'checkout',
  timeZone: 'Europe/Berlin',
  startStatus: 'To Do',
  stages: [
    { name: 'Backlog', kind: 'backlog', statuses: ['To Do'] },
    { name: 'Done', kind: 'done', statuses: ['Done'] },
  ],
};

describe.each(testDialects())('repositories on %s', (dialect) => {
  let store: Store;
  beforeEach(async () => {
    store = await openTestStore(dialect);
  });
  afterEach(async () => {
    await store.close();
  });

  it('saves a stream by name, replacing its map but keeping its id', async () => {
    const id = await saveStream(store.db, MAP, T0);
    const changed: StreamMap = { ...MAP, timeZone: 'UTC' };
    expect(await saveStream(store.db, changed, T0 + 1)).toBe(id);
    expect(await getStream(store.db, 'checkout')).toEqual({ id, map: changed });
    expect(await getStreamById(store.db, id)).toEqual({ id, map: changed });
    expect(await getStream(store.db, 'nope')).toBeNull();
    await saveStream(store.db, { ...MAP, name: 'billing' }, T0);
    expect((await listStreams(store.db)).map((stream) => stream.name)).toEqual(['billing', 'checkout']);
  });

  it('lists flow events sorted by time, whatever the logging order', async () => {
    const streamId = await saveStream(store.db, MAP);
    const other = await saveStream(store.db, { ...MAP, name: 'other' });
    await addFlowEvent(store.db, streamId, { at: T0 + 3_000, text: 'WIP limit 3 on Code review' });
    await addFlowEvent(store.db, streamId, { at: T0, text: 'Pairing on reviews', kind: 'experiment' });
    await addFlowEvent(store.db, other, { at: T0 + 1, text: 'elsewhere' });
    await addFlowEvent(store.db, streamId, { at: T0 + 1_000, text: 'Team of 5 became 4', kind: 'team' });
    expect(await listFlowEvents(store.db, streamId)).toEqual([
      { at: T0, text: 'Pairing on reviews', kind: 'experiment' },
      { at: T0 + 1_000, text: 'Team of 5 became 4', kind: 'team' },
      { at: T0 + 3_000, text: 'WIP limit 3 on Code review', kind: 'policy' },
    ]);
  });

  it('refuses an empty flow event text with an example', async () => {
    const streamId = await saveStream(store.db, MAP);
    await expect(addFlowEvent(store.db, streamId, { at: T0, text: '  ' })).rejects.toThrow(/what changed/);
  });

  it('allows at most one open experiment per stream', async () => {
    const streamId = await saveStream(store.db, MAP);
    const other = await saveStream(store.db, { ...MAP, name: 'other' });
    const experiment = (stream: number, state: 'open' | 'ended') => ({ stream_id: stream, policy: 'WIP limit 3', started_at: T0, state });
    await store.db.insertInto('experiment').values(experiment(streamId, 'open')).execute();
    await expect(store.db.insertInto('experiment').values(experiment(streamId, 'open')).execute()).rejects.toThrow(/unique|duplicate/i);
    await store.db.insertInto('experiment').values([experiment(streamId, 'ended'), experiment(streamId, 'ended')]).execute();
    await store.db.insertInto('experiment').values(experiment(other, 'open')).execute();
    await store.db.updateTable('experiment').set({ state: 'ended' }).where('stream_id', '=', streamId).execute();
    await store.db.insertInto('experiment').values(experiment(streamId, 'open')).execute();
    const open = await store.db.selectFrom('experiment').select('stream_id').where('state', '=', 'open').orderBy('stream_id').execute();
    expect(open.map((row) => row.stream_id)).toEqual([streamId, other].sort((a, b) => a - b));
  });

  it('enforces foreign keys: a work item needs its stream', async () => {
    const row = { stream_id: 999_999, source: 'import', key: 'X-1', type: 'feature', title: 'x', is_epic: 0, created_at: T0, updated_at: T0 };
    await expect(store.db.insertInto('work_item').values(row).execute()).rejects.toThrow(/foreign key/i);
  });

  it('binds a channel, rebinding replaces the stream and keeps settings not given', async () => {
    const streamId = await saveStream(store.db, MAP);
    const other = await saveStream(store.db, { ...MAP, name: 'other' });
    const first = await bindChannel(store.db, { platform: 'slack', channelId: 'C1', teamId: 'T1', streamId, timezone: 'Europe/Berlin', checkinDay: 'monday', checkinTime: '09:30' }, T0);
    expect(first).toMatchObject({ platform: 'slack', channelId: 'C1', teamId: 'T1', streamId, checkinDay: 'monday', checkinTime: '09:30', createdAt: T0 });
    const again = await bindChannel(store.db, { platform: 'slack', channelId: 'C1', streamId: other, checkinTime: '10:00' }, T0 + 1);
    expect(again).toMatchObject({ id: first.id, streamId: other, teamId: 'T1', timezone: 'Europe/Berlin', checkinDay: 'monday', checkinTime: '10:00' });
    await bindChannel(store.db, { platform: 'teams', channelId: 'C1', streamId }, T0);
    expect(await getBinding(store.db, 'teams', 'C1')).toMatchObject({ streamId, checkinDay: null, timezone: null });
    expect(await getBinding(store.db, 'slack', 'C2')).toBeNull();
    expect((await listBindings(store.db)).map((binding) => binding.platform)).toEqual(['slack', 'teams']);
    expect((await listBindings(store.db, { streamId })).map((binding) => binding.platform)).toEqual(['teams']);
    expect(await unbindChannel(store.db, 'teams', 'C1')).toBe(true);
    expect(await unbindChannel(store.db, 'teams', 'C1')).toBe(false);
  });
});
