import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { historyAsOf, replaySignals, replayStart } from '../../../src/chat/playground/replay-signals.ts';
import { createPlaygroundDeliverer } from '../../../src/chat/playground/deliverer.ts';
import { loadDemo } from '../../../src/demo/load-demo.ts';
import { parseNudge, type NudgeMessage } from '../../../src/nudges/nudge-payload.ts';
import { bindChannel, type ChannelBinding } from '../../../src/store/channel-bindings.ts';
import type { Store } from '../../../src/store/database.ts';
import { listNudgesSent } from '../../../src/store/nudges-sent.ts';
import { listOutbox } from '../../../src/store/outbox.ts';
import { loadStreamHistory, type StreamHistory } from '../../../src/store/stream-history.ts';
import { openTestStore } from '../../support/databases.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 24, 12);

describe('replaying the demo history through the signal check', () => {
  let store: Store;
  let history: StreamHistory & { name: string };
  let binding: ChannelBinding;

  beforeAll(async () => {
    store = await openTestStore('sqlite');
    const demo = await loadDemo(store, { now: NOW });
    binding = await bindChannel(store.db, { platform: 'playground', channelId: 'playground', streamId: demo.streamId }, NOW);
    history = (await loadStreamHistory(store, 'demo'))!;
  });
  afterAll(async () => {
    await store?.close();
  });

  it('cuts the history at a moment: later items, transitions and events are not there yet', () => {
    const at = NOW - 100 * DAY;
    const past = historyAsOf(history, at);
    expect(past.items.length).toBeGreaterThan(100);
    expect(past.items.length).toBeLessThan(history.items.length);
    expect(past.items.every((i) => i.createdAt <= at && i.transitions.every((t) => t.at <= at))).toBe(true);
    expect(past.events.every((e) => e.at <= at)).toBe(true);
    expect(history.items.some((i) => i.transitions.some((t) => t.at > at))).toBe(true);
  });

  it('starts two weeks before the policy change of the demo', () => {
    const change = history.events.find((e) => e.text === 'WIP limit 3 in Code review')!;
    expect(replayStart(history, NOW)).toBe(change.at - 14 * DAY);
    expect(replayStart({ ...history, events: [] }, NOW)).toBe(NOW - 26 * 7 * DAY);
  });

  it('fires the alert about the policy change on every replay, into the outbox of a channel of its own', async () => {
    const from = replayStart(history, NOW);
    const first = await replaySignals({ store, charts: null }, history, binding, NOW, { from, run: 1 });
    expect(first.checkedAt[0]).toBe(from);
    expect(first.checkedAt.at(-1)).toBe(NOW);
    const policy = first.posts.filter((p) => p.text.includes("since the policy change 'WIP limit 3 in Code review'"));
    expect(policy.map((p) => [p.series, p.channel])).toEqual([['leadtime', 'playground:playground~replay-1']]);

    const again = await replaySignals({ store, charts: null }, history, binding, NOW, { from, run: 2 });
    expect(again.posts.map((p) => p.text)).toEqual(first.posts.map((p) => p.text));

    const rows = await listOutbox(store.db, { platform: 'playground', kind: 'signal' });
    expect(rows.length).toBe(first.posts.length * 2);
    // what #playground itself has heard is untouched
    expect(await listNudgesSent(store.db, 'signal:playground:playground:')).toEqual([]);
  });
});

describe('playground deliverer', () => {
  const posted: [string, string][] = [];
  const deliverer = createPlaygroundDeliverer('playground', (message: NudgeMessage, label) => posted.push([label, message.text]));
  const meta = (kind: string) => ({ dedupKey: `k-${kind}`, kind, attempt: 1 });

  it('posts channel nudges, replayed ones and direct messages into the one channel, each labelled', async () => {
    await expect(deliverer.send({ platform: 'playground', channelId: 'playground' }, parseNudge('{"text":"Check-in"}'), meta('checkin'))).resolves.toBe('sent');
    await expect(deliverer.send({ platform: 'playground', channelId: 'playground~replay-7' }, { text: 'Signal' }, meta('signal'))).resolves.toBe('sent');
    await expect(deliverer.send({ platform: 'playground', userRef: 'pm@example.com' }, { text: 'What should it achieve?' }, meta('outcome-ask'))).resolves.toBe('sent');
    expect(posted).toEqual([
      ['Weekly check-in', 'Check-in'],
      ['XmR signal · replayed', 'Signal'],
      ['Anticipated outcome · direct message to pm@example.com', 'What should it achieve?'],
    ]);
  });

  it('refuses another channel or platform with the fix, so the outbox keeps the row as failed', async () => {
    const other = await deliverer.send({ platform: 'playground', channelId: 'general' }, { text: 'x' }, meta('signal'));
    expect(other).toEqual({ failed: 'the playground has one channel, "playground", not "general"; bind the stream to it with /flow bind in the page' });
    const slack = await deliverer.send({ platform: 'slack', channelId: 'C1' }, { text: 'x' }, meta('signal'));
    expect(slack).toMatchObject({ failed: expect.stringMatching(/platform "slack"/) });
  });
});
