import { afterEach, describe, expect, it } from 'vitest';
import { createTeamsDeliverer } from '../../../src/chat/teams/deliverer.ts';
import { createOutboxWorker } from '../../../src/nudges/outbox-worker.ts';
import { postNudge } from '../../../src/nudges/post-nudge.ts';
import { listOutbox } from '../../../src/store/outbox.ts';
import { getConversationRef } from '../../../src/store/conversation-refs.ts';
import { testDialects } from '../../support/databases.ts';
import { CHANNEL_ID, TENANT, installationUpdateActivity } from './support/activities.ts';
import { cardOf, cardProblems, cardText } from './support/card-schema.ts';
import { startTeamsHarness, type TeamsHarness } from './support/harness.ts';

const meta = { dedupKey: 'k', kind: 'signal', attempt: 1 };
const png = Buffer.from('89504e470d0a1a0a', 'hex');

describe.each(testDialects())('Teams nudge deliverer (%s)', (dialect) => {
  let harness: TeamsHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('posts a nudge into the bound conversation through its stored reference, extra charts as their own cards', async () => {
    harness = await startTeamsHarness(dialect);
    const h = harness;
    await h.post(installationUpdateActivity(h.connector.serviceUrl, 'channel', 'add'));
    expect(await getConversationRef(h.store.db, CHANNEL_ID)).not.toBeNull();
    const deliverer = createTeamsDeliverer({ store: h.store, teams: h.teams });
    const outcome = await deliverer.send(
      { platform: 'teams', channelId: CHANNEL_ID },
      { text: 'Lead time: 8 finished items in a row below the average of 17.5 days. Something changed — what?', chart: { png, summary: 'Lead time XmR chart', kind: 'xmr' }, moreCharts: [{ png, summary: 'Aging work', kind: 'aging' }] },
      meta,
    );
    expect(outcome).toBe('sent');
    const posts = h.connector.sent(new RegExp(`^/v3/conversations/${CHANNEL_ID.replace(/[.]/g, '\\.')}/activities$`));
    expect(posts).toHaveLength(2);
    const card = cardOf(posts[0]!.body);
    expect(cardProblems(card)).toEqual([]);
    expect(cardText(card)).toContain('8 finished items in a row below');
    expect(cardText(cardOf(posts[1]!.body))).toContain('Aging work');
  });

  it('a 429 on the second card hands the row back due at Retry-After, and the retry posts only that card', async () => {
    harness = await startTeamsHarness(dialect);
    const h = harness;
    await h.post(installationUpdateActivity(h.connector.serviceUrl, 'channel', 'add'));
    let clock = Date.now();
    const worker = createOutboxWorker({ store: h.store, now: () => clock });
    worker.register(createTeamsDeliverer({ store: h.store, teams: h.teams }));
    await postNudge(
      { store: h.store, charts: null },
      { kind: 'checkin', target: { platform: 'teams', channelId: CHANNEL_ID }, dedupKey: 'checkin:teams', message: { text: 'Weekly check-in for demo', chart: { png, summary: 'Lead time', kind: 'xmr' }, moreCharts: [{ png, summary: 'Aging work', kind: 'aging' }] } },
      clock,
    );
    const activities = new RegExp(`^/v3/conversations/${CHANNEL_ID.replace(/[.]/g, '\\.')}/activities$`);
    h.connector.failNext(activities, 429, 1, 4, 1);
    expect(await worker.runOnce()).toMatchObject([{ status: 'retry', detail: 'teams asked to retry after 4000 ms' }]);
    expect((await listOutbox(h.store.db))[0]).toMatchObject({ state: 'pending', nextAttemptAt: clock + 4_000, progress: { message: expect.any(String) } });
    clock += 4_000;
    expect(await worker.runOnce()).toMatchObject([{ status: 'sent' }]);
    const posts = h.connector.sent(activities);
    expect(posts.map((p) => cardText(cardOf(p.body)).includes('Aging work'))).toEqual([false, true]);
  });

  it('opens a 1:1 chat with an owner known by Teams id, and refuses an e-mail with the fix', async () => {
    harness = await startTeamsHarness(dialect);
    const h = harness;
    await h.post(installationUpdateActivity(h.connector.serviceUrl, 'channel', 'add'));
    const deliverer = createTeamsDeliverer({ store: h.store, teams: h.teams });
    const asked = await deliverer.send({ platform: 'teams', userRef: '29:pm-two' }, { text: 'What should epic CHK-1 achieve?', form: { kind: 'outcome-form', prefill: { epic: 'CHK-1' } } }, meta);
    expect(asked).toBe('sent');
    const create = await h.connector.waitFor(/^\/v3\/conversations$/);
    expect(create.body).toMatchObject({ isGroup: false, members: [{ id: '29:pm-two' }], tenantId: TENANT });
    const byEmail = await deliverer.send({ platform: 'teams', userRef: 'pm@example.com' }, { text: 'What should epic CHK-1 achieve?' }, meta);
    expect(byEmail).toEqual({ failed: expect.stringContaining('@flow owner pm@example.com') });
  });

  it('fails with the fix when the conversation is unknown or the bot was removed', async () => {
    harness = await startTeamsHarness(dialect);
    const h = harness;
    const deliverer = createTeamsDeliverer({ store: h.store, teams: h.teams });
    expect(await deliverer.send({ platform: 'teams', channelId: '19:unknown@thread.tacv2' }, { text: 'x' }, meta)).toEqual({ failed: expect.stringContaining('add the app to that team or chat again') });
    await h.post(installationUpdateActivity(h.connector.serviceUrl, 'channel', 'add'));
    h.connector.failNext(/activities$/, 403);
    expect(await deliverer.send({ platform: 'teams', channelId: CHANNEL_ID }, { text: 'weekly check-in' }, meta)).toEqual({ failed: expect.stringContaining('add the app to the conversation again') });
  });
});
