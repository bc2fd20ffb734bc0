import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deliverer } from '../../../src/nudges/deliverer.ts';
import { mountSlack } from '../../../src/chat/slack/index.ts';
import { createHttpServer } from '../../../src/http/server.ts';
import { getStream } from '../../../src/store/value-streams.ts';
import { getWorkItem } from '../../../src/store/work-items.ts';
import type { Reply } from '../../../src/reply/reply.ts';
import { createOutboxWorker } from '../../../src/nudges/outbox-worker.ts';
import { postNudge } from '../../../src/nudges/post-nudge.ts';
import { listOutbox } from '../../../src/store/outbox.ts';
import { interactivityBody, postSigned } from './support/sign.ts';
import { SIGNING_SECRET, startSlackHarness, type SlackHarness } from './support/harness.ts';
import { useChartRenderer } from '../../support/chart-renderer.ts';

const charts = useChartRenderer();

const png = (n: number) => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(n, 1)]);
const meta = { dedupKey: 'k1', kind: 'signal', attempt: 1 };

describe('Slack nudge deliverer', () => {
  let h: SlackHarness;
  let deliverer: Deliverer;
  beforeAll(async () => {
    h = await startSlackHarness();
    // a second mount on its own route table gives us the deliverer bound to the same fake Slack
    const slack = await mountSlack({
      httpServer: createHttpServer({ log: { error() {} } }),
      store: h.store,
      charts,
      env: { SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: 'xoxb-single-workspace', SLACK_API_URL: h.fake.apiUrl },
      log: { info() {}, warn() {}, error() {} },
    });
    deliverer = slack.deliverer;
  });
  afterAll(async () => {
    await h.close();
  });

  it('posts a nudge in its channel with every chart uploaded there', async () => {
    const reply: Reply & { moreCharts: NonNullable<Reply['chart']>[] } = {
      text: 'Lead time shows a signal: a run of 8 below the centre line. What changed?',
      chart: { png: png(100), summary: 'Lead time XmR of demo', kind: 'xmr' },
      moreCharts: [{ png: png(200), summary: 'Aging work of demo', kind: 'aging' }],
    };
    expect(await deliverer.send({ platform: 'slack', channelId: 'C-NUDGE', teamId: 'T0FAKE' }, reply, meta)).toBe('sent');
    const [message] = h.fake.callsTo('chat.postMessage').filter((c) => c.params.channel === 'C-NUDGE');
    expect(message!.params.text).toContain('What changed?');
    const completes = h.fake.callsTo('files.completeUploadExternal').filter((c) => c.params.channel_id === 'C-NUDGE');
    expect(completes.map((c) => c.params.initial_comment)).toEqual(['Lead time XmR of demo', 'Aging work of demo']);
  });

  it('finds an owner by e-mail and writes to them directly', async () => {
    const sent = await deliverer.send({ platform: 'slack', userRef: 'ana@example.com', teamId: 'T0FAKE' }, { text: 'What should DEMO-E3 achieve?' }, { ...meta, kind: 'outcome-ask' });
    expect(sent).toBe('sent');
    expect(h.fake.callsTo('users.lookupByEmail').at(-1)!.params.email).toBe('ana@example.com');
    expect(h.fake.callsTo('conversations.open').at(-1)!.params.users).toBe('U-ANA');
    expect(h.fake.callsTo('chat.postMessage').at(-1)!.params.channel).toBe('D-U-ANA');
  });

  it('hands a 429 back to the outbox with Retry-After instead of waiting, and says when trying again cannot help', async () => {
    h.fake.rateLimitNext('chat.postMessage', 7);
    const started = Date.now();
    expect(await deliverer.send({ platform: 'slack', channelId: 'C-BUSY' }, { text: 'x' }, meta)).toEqual({ retryAfterMs: 7000 });
    expect(Date.now() - started).toBeLessThan(3000);

    h.fake.answer('chat.postMessage', { ok: false, error: 'not_in_channel' });
    const outcome = await deliverer.send({ platform: 'slack', channelId: 'C-OUT' }, { text: 'x' }, meta);
    h.fake.answer('chat.postMessage', null);
    expect(outcome).toEqual({ failed: expect.stringContaining('/invite @flow-nudge') });
  });

  it('a 429 on a chart upload or on sharing it resumes after the last finished call: the text once, each chart once', async () => {
    let clock = Date.now();
    const worker = createOutboxWorker({ store: h.store, now: () => clock });
    worker.register(deliverer);
    await postNudge(
      { store: h.store, charts: null },
      {
        kind: 'checkin',
        target: { platform: 'slack', channelId: 'C-RESUME', teamId: 'T0FAKE' },
        dedupKey: 'checkin:resume',
        message: { text: 'Weekly check-in for demo', chart: { png: png(300), summary: 'Lead time of demo', kind: 'xmr' }, moreCharts: [{ png: png(400), summary: 'Aging of demo', kind: 'aging' }] },
      },
      clock,
    );
    h.fake.rateLimitNext('upload', 3); // the bytes of the first chart
    expect(await worker.runOnce()).toMatchObject([{ status: 'retry', detail: 'slack asked to retry after 3000 ms' }]);
    const [waiting] = await listOutbox(h.store.db, { kind: 'checkin' });
    expect(waiting).toMatchObject({ state: 'pending', nextAttemptAt: clock + 3000 });
    expect(Object.keys(waiting!.progress)).toEqual(['message']);

    clock += 3000;
    h.fake.rateLimitNext('files.completeUploadExternal', 2); // sharing the first chart
    expect(await worker.runOnce()).toMatchObject([{ status: 'retry', detail: 'slack asked to retry after 2000 ms' }]);
    clock += 2000;
    expect(await worker.runOnce()).toMatchObject([{ status: 'sent' }]);

    expect(h.fake.callsTo('chat.postMessage').filter((c) => c.params.channel === 'C-RESUME')).toHaveLength(1);
    const shared = h.fake.callsTo('files.completeUploadExternal').filter((c) => c.params.channel_id === 'C-RESUME');
    expect(shared.map((c) => c.params.initial_comment)).toEqual(['Lead time of demo', 'Aging of demo']);
    const fileIds = shared.map((c) => c.params.files[0].id);
    // each chart's bytes went up once (the retry of the sharing did not upload again)
    expect(fileIds.map((id) => h.fake.callsTo('upload').filter((c) => c.params.file_id === id).length)).toEqual([1, 1]);
    expect(h.fake.callsTo('upload').find((c) => c.params.file_id === fileIds[1])!.bytes!.length).toBe(png(400).length);
  });

  it('an outcome ask in a direct message opens the form for that epic and stream, and the answer is stored', async () => {
    const ask: Reply = {
      text: 'A new epic DEMO-E6 (Subscriptions) of demo: what should it achieve?',
      buttons: [{ id: 'open-outcome-form', label: 'Record the anticipated outcome', opens: 'outcome-form', value: 'DEMO-E6' }],
      form: { kind: 'outcome-form', prefill: { epic: 'DEMO-E6', stream: 'demo', outcome: 'anticipated' } },
    };
    expect(await deliverer.send({ platform: 'slack', userRef: 'U0PM' }, ask, { ...meta, kind: 'outcome-ask' })).toBe('sent');
    const [dm] = h.fake.callsTo('chat.postMessage').filter((c) => c.params.channel === 'D-U0PM');
    const button = dm!.params.blocks.find((b: { type: string }) => b.type === 'actions').elements[0];
    expect(JSON.parse(button.value)).toEqual({ epic: 'DEMO-E6', stream: 'demo', outcome: 'anticipated' });

    await postSigned(`${h.url}/slack/interactivity`, SIGNING_SECRET, interactivityBody({
      type: 'block_actions', team: { id: 'T0FAKE' }, user: { id: 'U0PM', team_id: 'T0FAKE' }, api_app_id: 'A0FAKE', token: 'legacy',
      trigger_id: '555.dm.trigger', container: { type: 'message', channel_id: 'D-U0PM' }, channel: { id: 'D-U0PM' },
      actions: [{ ...button, block_id: 'b', action_ts: '1', type: 'button' }],
    }));
    const [open] = await h.fake.waitFor('views.open', (c) => c.params.trigger_id === '555.dm.trigger');
    const view = open!.params.view;
    expect(JSON.parse(view.private_metadata)).toEqual({ channelId: 'D-U0PM', teamId: 'T0FAKE', stream: 'demo', which: 'anticipated' });

    const res = await postSigned(`${h.url}/slack/interactivity`, SIGNING_SECRET, interactivityBody({
      type: 'view_submission', team: { id: 'T0FAKE' }, user: { id: 'U0PM', team_id: 'T0FAKE' }, api_app_id: 'A0FAKE', token: 'legacy', trigger_id: 't',
      view: { id: 'V9', type: 'modal', callback_id: view.callback_id, private_metadata: view.private_metadata, hash: 'h', state: { values: {
        epic: { value: { type: 'plain_text_input', value: 'DEMO-E6' } },
        outcome: { value: { type: 'plain_text_input', value: 'Monthly subscribers reach 2,000 by June' } },
        observe: { value: { type: 'plain_text_input', value: 'billing dashboard' } },
      } } },
    }));
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    const streamId = (await getStream(h.store.db, 'demo'))!.id;
    expect((await getWorkItem(h.store.db, streamId, 'DEMO-E6'))!.anticipatedOutcome).toContain('Monthly subscribers reach 2,000 by June');
  });
});
