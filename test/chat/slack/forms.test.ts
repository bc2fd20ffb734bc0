import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_FORM, OUTCOME_FORM } from '../../../src/chat/slack/modals.ts';
import { listFlowEvents } from '../../../src/store/flow-events.ts';
import { getStream } from '../../../src/store/value-streams.ts';
import { getWorkItem } from '../../../src/store/work-items.ts';
import { blockKitProblems } from './support/block-kit-limits.ts';
import { interactivityBody, postSigned } from './support/sign.ts';
import { SIGNING_SECRET, startSlackHarness, type SlackHarness } from './support/harness.ts';

type View = { callback_id: string; private_metadata: string; blocks: { block_id?: string; element?: { initial_value?: string; initial_date?: string } }[] };

function submission(view: View, values: Record<string, Record<string, unknown>>, user = 'U-PM') {
  return {
    type: 'view_submission',
    team: { id: 'T0FAKE', domain: 'fake' },
    user: { id: user, team_id: 'T0FAKE' },
    api_app_id: 'A0FAKE',
    token: 'legacy',
    trigger_id: '222.333.view',
    view: { id: 'V1', team_id: 'T0FAKE', type: 'modal', callback_id: view.callback_id, private_metadata: view.private_metadata, state: { values }, hash: 'h' },
  };
}

describe('Slack modals: open from a command or a button, validate, store', () => {
  let h: SlackHarness;
  let streamId: number;
  const interact = (payload: unknown) => postSigned(`${h.url}/slack/interactivity`, SIGNING_SECRET, interactivityBody(payload));

  beforeAll(async () => {
    h = await startSlackHarness();
    streamId = (await getStream(h.store.db, 'demo'))!.id;
    await h.command('bind demo', { channel_id: 'C-FORMS' });
    await h.fake.waitFor('chat.postMessage', (c) => c.params.channel === 'C-FORMS');
  });
  afterAll(async () => {
    await h.close();
  });

  it('/flow event opens the event modal with the trigger; a bad submission shows errors by block id; a good one is stored', async () => {
    await h.command('event', { channel_id: 'C-FORMS', trigger_id: '111.event.trigger' });
    const [open] = await h.fake.waitFor('views.open', (c) => c.params.trigger_id === '111.event.trigger');
    const view = open!.params.view as View;
    expect(blockKitProblems('modal', view as never)).toEqual([]);
    expect(view.callback_id).toBe(EVENT_FORM);
    expect(JSON.parse(view.private_metadata)).toMatchObject({ channelId: 'C-FORMS' });
    const today = view.blocks.find((b) => b.block_id === 'event_date')!.element!.initial_date!;

    const empty = await interact(submission(view, { event_text: { value: { type: 'plain_text_input', value: ' ' } }, event_date: { value: { type: 'datepicker', selected_date: '2999-01-01' } } }));
    expect(empty.status).toBe(200);
    const errors = JSON.parse(empty.text);
    expect(errors.response_action).toBe('errors');
    expect(Object.keys(errors.errors).sort()).toEqual(['event_date', 'event_text']);
    expect(errors.errors.event_date).toContain(today);

    const ok = await interact(submission(view, { event_text: { value: { type: 'plain_text_input', value: 'Swarm on aging items first' } }, event_date: { value: { type: 'datepicker', selected_date: today } } }));
    expect(ok.status).toBe(200);
    expect(ok.text).toBe('');
    expect((await listFlowEvents(h.store.db, streamId)).map((e) => e.text)).toContain('Swarm on aging items first');
    await h.fake.waitFor('chat.postMessage', (c) => c.params.channel === 'C-FORMS' && /Swarm on aging items first/.test(c.params.text));
  });

  it('/flow outcome EPIC opens the outcome modal pre-filled; an unknown epic is shown on the epic field; a good one is stored', async () => {
    await h.command('outcome DEMO-E3', { channel_id: 'C-FORMS', trigger_id: '111.outcome.trigger' });
    const [open] = await h.fake.waitFor('views.open', (c) => c.params.trigger_id === '111.outcome.trigger');
    const view = open!.params.view as View;
    expect(view.callback_id).toBe(OUTCOME_FORM);
    expect(view.blocks.find((b) => b.block_id === 'epic')!.element!.initial_value).toBe('DEMO-E3');

    const values = (epic: string, outcome: string) => ({
      epic: { value: { type: 'plain_text_input', value: epic } },
      outcome: { value: { type: 'plain_text_input', value: outcome } },
      observe: { value: { type: 'plain_text_input', value: 'Weekly loyalty report' } },
    });
    const short = JSON.parse((await interact(submission(view, values('DEMO-E3', 'more')))).text);
    expect(short).toEqual({ response_action: 'errors', errors: { outcome: expect.stringContaining('at least 10 characters') } });
    const unknown = JSON.parse((await interact(submission(view, values('DEMO-E99', 'Repeat purchases up 10% in a quarter')))).text);
    expect(unknown.errors.epic).toContain('has no item DEMO-E99');

    const ok = await interact(submission(view, values('DEMO-E3', 'Repeat purchases up 10% in a quarter')));
    expect(ok.text).toBe('');
    expect((await getWorkItem(h.store.db, streamId, 'DEMO-E3'))!.anticipatedOutcome).toBe('Repeat purchases up 10% in a quarter\nObserved by: Weekly loyalty report');
  });

  it('the outcome modal takes the key result: too long or without an outcome is shown on its field and nothing is stored; /flow ffr shows it', async () => {
    await h.command('outcome DEMO-E9', { channel_id: 'C-FORMS', trigger_id: '111.kr.trigger' });
    const [open] = await h.fake.waitFor('views.open', (c) => c.params.trigger_id === '111.kr.trigger');
    const view = open!.params.view as View;
    expect((view.blocks.find((b) => b.block_id === 'key_result')!.element as { max_length?: number }).max_length).toBe(300);
    const values = (outcome: string, keyResult: string) => ({
      epic: { value: { type: 'plain_text_input', value: 'DEMO-E9' } },
      outcome: { value: { type: 'plain_text_input', value: outcome } },
      key_result: { value: { type: 'plain_text_input', value: keyResult } },
    });
    const before = await getWorkItem(h.store.db, streamId, 'DEMO-E9');
    const long = JSON.parse((await interact(submission(view, values('Returns handled online for 70% of orders', 'K'.repeat(301))))).text);
    expect(long).toEqual({ response_action: 'errors', errors: { key_result: expect.stringMatching(/^Keep the key result under 300 characters \(it has 301\)/) } });
    const empty = JSON.parse((await interact(submission(view, values('', 'O3 KR1: return costs -20%')))).text);
    expect(empty.errors.outcome).toMatch(/^A key result goes with an anticipated outcome: describe the outcome too/);
    expect(await getWorkItem(h.store.db, streamId, 'DEMO-E9')).toEqual(before);

    expect((await interact(submission(view, values('Returns handled online for 70% of orders', 'O3 KR1: return costs -20%')))).text).toBe('');
    const stored = (await getWorkItem(h.store.db, streamId, 'DEMO-E9'))!;
    expect([stored.anticipatedOutcome, stored.keyResult]).toEqual(['Returns handled online for 70% of orders', 'O3 KR1: return costs -20%']);
    await h.command('ffr', { channel_id: 'C-FORMS', trigger_id: '111.kr.ffr' });
    const [message] = await h.fake.waitFor('chat.postMessage', (c) => /^Feature Factory Ratio of demo/.test(c.params.text) && /key result/.test(JSON.stringify(c.params.blocks)));
    expect(JSON.stringify(message!.params.blocks)).toContain('DEMO-E9 Returns self-service: \\"Returns handled online for 70% of orders\\" — key result: O3 KR1: return costs -20%');
  });

  it('the "Record an outcome" button of /flow ffr opens the outcome modal for the first epic without one', async () => {
    await h.command('ffr', { channel_id: 'C-FORMS' });
    const [message] = await h.fake.waitFor('chat.postMessage', (c) => /^Feature Factory Ratio of demo/.test(c.params.text));
    const actions = message!.params.blocks.find((b: { type: string }) => b.type === 'actions');
    const button = actions.elements[0];
    expect(button.action_id).toBe('flow-open:outcome-form');
    const res = await interact({
      type: 'block_actions',
      team: { id: 'T0FAKE', domain: 'fake' },
      user: { id: 'U-PM', team_id: 'T0FAKE' },
      api_app_id: 'A0FAKE',
      token: 'legacy',
      trigger_id: '444.button.trigger',
      container: { type: 'message', channel_id: 'C-FORMS', message_ts: '1.2' },
      channel: { id: 'C-FORMS', name: 'forms' },
      actions: [{ ...button, block_id: 'b1', action_ts: '1.3', type: 'button' }],
    });
    expect(res.status).toBe(200);
    const [open] = await h.fake.waitFor('views.open', (c) => c.params.trigger_id === '444.button.trigger');
    expect(open!.params.view.blocks.find((b: { block_id?: string }) => b.block_id === 'epic').element.initial_value).toBe(button.value);
  });

  it('App Home shows the bound stream with its constraint, aging, experiment and FFR', async () => {
    await h.command('experiment start Swarm on aging items | measure cycletime', { channel_id: 'C-FORMS' });
    await h.fake.waitFor('chat.postMessage', (c) => /Experiment started/.test(c.params.text));
    const body = JSON.stringify({
      token: 'legacy',
      team_id: 'T0FAKE',
      api_app_id: 'A0FAKE',
      type: 'event_callback',
      event_id: 'Ev1',
      event_time: Math.floor(Date.now() / 1000),
      event: { type: 'app_home_opened', user: 'U-PM', channel: 'D1', tab: 'home', event_ts: '1.1' },
    });
    const res = await postSigned(`${h.url}/slack/events`, SIGNING_SECRET, body, { contentType: 'application/json' });
    expect(res.status).toBe(200);
    const [publish] = await h.fake.waitFor('views.publish', (c) => c.params.user_id === 'U-PM');
    const text = JSON.stringify(publish!.params.view);
    expect(publish!.params.view.type).toBe('home');
    expect(blockKitProblems('home', publish!.params.view)).toEqual([]);
    expect(text).toContain('*demo* in <#C-FORMS>');
    expect(text).toContain('Most waiting happens in');
    expect(text).toContain('Swarm on aging items');
    expect(text).toMatch(/Feature Factory Ratio\*\\n\d+%/);
    expect(text).toMatch(/Aging\*\\n\d+ items? past the 85th percentile/);
  });

  it('answers Slack URL verification', async () => {
    const body = JSON.stringify({ type: 'url_verification', challenge: 'c-123', token: 'legacy' });
    const res = await postSigned(`${h.url}/slack/events`, SIGNING_SECRET, body, { contentType: 'application/json' });
    expect(JSON.parse(res.text)).toEqual({ challenge: 'c-123' });
  });
});
