/**
 * Issue 15, item 3: the actual outcome of a closed epic, end to end on every platform. A signed
 * Jira webhook creates the epic (its owner is asked, answers the anticipated outcome), a second
 * one closes it; its owner gets the outcome review with "Record the actual outcome"; the button
 * opens the platform's form for the ACTUAL outcome (Slack modal, Teams card, playground form),
 * the answer is stored as the actual outcome and the anticipated one is kept; the check-in then
 * lists the epic neither as awaiting review nor as awaiting an answer.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { replyToBlocks } from '../../src/chat/slack/blocks.ts';
import { mountSlack } from '../../src/chat/slack/index.ts';
import { mountTeams } from '../../src/chat/teams/index.ts';
import { renderReplyCard } from '../../src/chat/teams/reply-card.ts';
import { mountPlayground, PLAYGROUND_CHANNEL, PLAYGROUND_PLATFORM } from '../../src/chat/playground/index.ts';
import { startServer, type RunningServer } from '../../src/http/start-server.ts';
import { buildCheckinAgenda } from '../../src/nudges/checkin-agenda.ts';
import { createNudgeHooks, type NudgeHooks } from '../../src/nudges/nudge-hooks.ts';
import type { NudgeMessage } from '../../src/nudges/nudge-payload.ts';
import { createOutboxWorker } from '../../src/nudges/outbox-worker.ts';
import { recordOutcomeAnswer } from '../../src/nudges/outcome-answer.ts';
import { setOwnerMapping } from '../../src/nudges/owner-directory.ts';
import { bindChannel } from '../../src/store/channel-bindings.ts';
import type { Store } from '../../src/store/database.ts';
import { loadStreamHistory } from '../../src/store/stream-history.ts';
import { getStream } from '../../src/store/value-streams.ts';
import { getWorkItem } from '../../src/store/work-items.ts';
import { memoryLogger, SECRETS, testConfig } from '../http/support/test-server.ts';
import { readFixture, vendorHeaders } from '../trackers/support/vendor-requests.ts';
import { openTestStore, testDialects } from '../support/databases.ts';
import { startFakeSlack } from '../chat/slack/support/fake-slack.ts';
import { interactivityBody, postSigned } from '../chat/slack/support/sign.ts';
import { startFakeConnector } from '../chat/teams/support/fake-connector.ts';
import { executeActivity } from '../chat/teams/support/activities.ts';
import { cardProblems } from '../chat/teams/support/card-schema.ts';
import { RecordingDeliverer } from './support/recording-deliverer.ts';
import { useChartRenderer } from '../support/chart-renderer.ts';

const charts = useChartRenderer();

const DAY = 86_400_000;
const T0 = Date.parse('2026-11-02T09:00:00Z');
const OWNER = '5b912f5c8a96e82b9549361c'; // the Jira account id of the fixture's epic owner
const ANTICIPATED = 'Support tickets about search drop by a third';
const ACTUAL = 'Search tickets fell by a quarter; the new filters are used in 40% of searches';
const SIGNING_SECRET = 'actual-outcome-signing-secret';

/** The fixture epic DTP-1, moved from To Do to Done at `at`, as Jira sends an issue update. */
function closeBody(at: number): string {
  const created = JSON.parse(readFixture('jira', 'epic_created.json'));
  created.webhookEvent = 'jira:issue_updated';
  created.issue_event_type_name = 'issue_generic';
  created.timestamp = at;
  created.issue.fields.status = { ...created.issue.fields.status, name: 'Done' };
  created.changelog = { id: '35100', items: [{ field: 'status', fieldtype: 'jira', fieldId: 'status', from: '10000', fromString: 'To Do', to: '10001', toString: 'Done' }] };
  return JSON.stringify(created);
}

describe.each(testDialects())('the actual outcome of a closed epic, from the close webhook to the check-in (%s)', (dialect) => {
  let store: Store;
  let server: RunningServer;
  let hooks: NudgeHooks;
  let clock: number;
  const closers: (() => Promise<void> | void)[] = [];

  beforeEach(async () => {
    clock = T0;
    store = await openTestStore(dialect);
    hooks = createNudgeHooks({ store, charts: null }, () => clock, { debounceMs: 10 });
    server = await startServer({ store, config: await testConfig(), port: 0, host: '127.0.0.1', log: memoryLogger(), now: () => clock, onTransitions: hooks.onTransitions });
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    await server.close();
    await store.close();
  });

  async function deliver(body: string): Promise<void> {
    const res = await fetch(`http://127.0.0.1:${server.port}/webhooks/jira`, { method: 'POST', body, headers: vendorHeaders('jira', SECRETS.JIRA_RU_SECRET, body) });
    expect(res.status).toBe(202);
    await server.processor.idle();
    await hooks.flush();
  }

  /** The epic is created, its anticipated outcome answered, then it closes: returns the review the owner got. */
  async function closedEpicReview(platform: 'slack' | 'teams' | 'playground', channelId: string, ownerRef: string): Promise<NudgeMessage> {
    const ru = (await getStream(store.db, 'ru'))!;
    await bindChannel(store.db, { platform, channelId, streamId: ru.id }, T0);
    await setOwnerMapping(store.db, platform, OWNER, ownerRef, T0);
    await deliver(readFixture('jira', 'epic_created.json'));
    expect(await recordOutcomeAnswer(store, { stream: 'ru', epic: 'DTP-1', outcome: ANTICIPATED }, T0 + 60_000)).toMatchObject({ ok: true });
    clock = T0 + 3 * DAY;
    await deliver(closeBody(clock - 60_000));
    const recorder = new RecordingDeliverer(platform);
    const worker = createOutboxWorker({ store, now: () => clock });
    worker.register(recorder);
    await worker.runOnce();
    expect(recorder.calls.map((c) => c.meta.kind)).toEqual(['outcome-ask', 'outcome-review']);
    const review = recorder.calls[1]!;
    expect(review.target).toEqual({ platform, userRef: ownerRef });
    expect(review.reply.text).toContain(`You anticipated: "${ANTICIPATED}". What actually happened?`);
    // the check-in before the answer: awaiting review, not also awaiting an answer
    const agenda = await outcomesSection();
    expect(agenda).toContain('Not yet learned (closed, awaiting an outcome review): DTP-1');
    expect(agenda).not.toContain('awaiting an answer');
    return review.reply;
  }

  async function outcomesSection(): Promise<string> {
    const history = (await loadStreamHistory(store, 'ru'))!;
    return (await buildCheckinAgenda({ store, charts: null }, { ...history, name: 'ru' }, clock)).sections![4]!.text!;
  }

  /** What a user checks afterwards: the actual outcome stored, the anticipated one kept, the check-in settled. */
  async function expectActualRecorded(): Promise<void> {
    const ru = (await getStream(store.db, 'ru'))!;
    const epic = (await getWorkItem(store.db, ru.id, 'DTP-1'))!;
    expect(epic.anticipatedOutcome).toBe(ANTICIPATED);
    expect(epic.actualOutcome).toBe(`${ACTUAL}\nObserved by: the support dashboard`);
    const agenda = await outcomesSection();
    expect(agenda).toContain('No closed epic awaits an outcome review.');
    expect(agenda).not.toContain('awaiting an answer');
    expect(agenda).not.toMatch(/DTP-1.*awaiting/);
  }

  it('Slack: the review DM button opens the "Actual outcome" modal, whose submission stores the actual outcome', async () => {
    const fake = await startFakeSlack();
    closers.push(() => fake.close());
    const slack = await mountSlack({ httpServer: server.httpServer, store, charts, env: { SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_API_URL: fake.apiUrl }, log: memoryLogger() });
    closers.push(() => slack.stop());
    const review = await closedEpicReview('slack', 'C-RU', 'U0OWNER');

    // the DM as Slack shows it: its button carries the form's prefill
    const actions = replyToBlocks(review).find((b) => b.type === 'actions') as { elements: { action_id: string; value?: string; text: { text: string } }[] };
    const button = actions.elements.find((e) => e.text.text === 'Record the actual outcome')!;
    const interact = (payload: unknown) => postSigned(`http://127.0.0.1:${server.port}/slack/interactivity`, SIGNING_SECRET, interactivityBody(payload));
    const user = { id: 'U0OWNER', team_id: 'T0FAKE' };
    const clicked = await interact({
      type: 'block_actions', team: { id: 'T0FAKE', domain: 'fake' }, user, api_app_id: 'A0FAKE', token: 'legacy', trigger_id: '555.review.trigger',
      container: { type: 'message', channel_id: 'D-OWNER', message_ts: '1.2' }, channel: { id: 'D-OWNER', name: 'directmessage' },
      actions: [{ ...button, block_id: 'b1', action_ts: '1.3', type: 'button' }],
    });
    expect(clicked.status).toBe(200);
    const [open] = await fake.waitFor('views.open', (c) => c.params.trigger_id === '555.review.trigger');
    const view = open!.params.view as { callback_id: string; private_metadata: string; title: { text: string }; blocks: { block_id?: string; label?: { text: string }; element?: { initial_value?: string } }[] };
    expect(view.title.text).toBe('Actual outcome');
    expect(view.blocks.find((b) => b.block_id === 'outcome')!.label!.text).toBe('What did this epic achieve?');
    expect(view.blocks.find((b) => b.block_id === 'epic')!.element!.initial_value).toBe('DTP-1');

    const submitted = await interact({
      type: 'view_submission', team: { id: 'T0FAKE', domain: 'fake' }, user, api_app_id: 'A0FAKE', token: 'legacy', trigger_id: '556.view',
      view: {
        id: 'V1', team_id: 'T0FAKE', type: 'modal', callback_id: view.callback_id, private_metadata: view.private_metadata, hash: 'h',
        state: { values: { epic: { value: { type: 'plain_text_input', value: 'DTP-1' } }, outcome: { value: { type: 'plain_text_input', value: ACTUAL } }, observe: { value: { type: 'plain_text_input', value: 'the support dashboard' } } } },
      },
    });
    expect(submitted.text).toBe('');
    await fake.waitFor('chat.postMessage', (c) => /Actual outcome of DTP-1/.test(String(c.params.text)));
    await expectActualRecorded();
  }, 60_000);

  it('Teams: the review card opens the "Actual outcome" card, whose save stores the actual outcome', async () => {
    const connector = await startFakeConnector();
    closers.push(() => connector.close());
    const teams = mountTeams({ httpServer: server.httpServer, store, charts, env: {}, allowAnonymous: true, log: memoryLogger(), clock: () => clock, retry: { baseDelayMs: 20, maxDelayMs: 200 } });
    closers.push(() => teams.stop());
    const review = await closedEpicReview('teams', '19:ru@thread.tacv2', 'owner@example.com');

    const post = async (activity: object) => {
      const res = await fetch(`http://127.0.0.1:${server.port}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
      return { status: res.status, body: JSON.parse((await res.text()) || 'null') };
    };
    // the DM as Teams shows it: the button's Action.Execute data
    const action = renderReplyCard(review).actions!.find((a) => a.title === 'Record the actual outcome') as unknown as { verb: string; data: Record<string, unknown> };
    const opened = await post(executeActivity(connector.serviceUrl, 'personal', action.verb, action.data));
    expect(opened.status).toBe(200);
    const card = opened.body.value;
    expect(cardProblems(card)).toEqual([]);
    expect(card.body[0].text).toBe('Actual outcome of DTP-1');
    expect(card.body.find((e: { id?: string }) => e.id === 'outcome')).toMatchObject({ label: 'What did it achieve?', value: '' });
    const save = card.actions.find((a: { title: string }) => a.title === 'Save outcome');

    const saved = await post(executeActivity(connector.serviceUrl, 'personal', save.verb, { ...save.data, epic: 'DTP-1', outcome: ACTUAL, observe: 'the support dashboard' }));
    expect(saved.status).toBe(200);
    expect(JSON.stringify(saved.body)).toContain('Actual outcome recorded');
    await expectActualRecorded();
  }, 60_000);

  it('playground: the review message opens the form for the actual outcome, whose save stores it', async () => {
    // the playground channel follows ru here; the person at the keyboard plays the owner
    const playground = await mountPlayground({ httpServer: server.httpServer, store, renderer: charts, log: memoryLogger(), clock: () => clock, streamName: 'ru' });
    closers.push(() => playground.stop());
    const review = await closedEpicReview(PLAYGROUND_PLATFORM, PLAYGROUND_CHANNEL, 'playground-user');
    await playground.deliverer.send({ platform: 'playground', userRef: 'playground-user' }, review, { kind: 'outcome-review', dedupKey: 'k', attempt: 1 } as never);

    const base = `http://127.0.0.1:${server.port}`;
    const messages = ((await (await fetch(`${base}/playground/messages?after=0&wait=0`)).json()) as { messages: unknown }).messages as { label?: string; buttons?: { label: string; opens?: string }[]; form?: { kind: string; prefill?: Record<string, string> } }[];
    const shown = messages.find((m) => m.label?.startsWith('Outcome review'))!;
    expect(shown.buttons?.[0]).toMatchObject({ label: 'Record the actual outcome', opens: 'outcome-form' });
    expect(shown.form).toEqual({ kind: 'outcome-form', prefill: { epic: 'DTP-1', stream: 'ru', outcome: 'actual' } });
    // the page's form for it (app.js: the prefill's `outcome` says which form, into the hidden `which` field)
    const page = await (await fetch(`${base}/`)).text();
    expect(page).toContain('<input type="hidden" name="which" value="anticipated">');
    expect(page).toContain('data-actual="Actual outcome"');

    const form = { epic: 'DTP-1', outcome: ACTUAL, observe: 'the support dashboard', which: 'actual', stream: 'ru' };
    const saved = await fetch(`${base}/playground/forms/outcome`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(form) });
    expect(saved.status).toBe(200);
    expect(JSON.stringify(await saved.json())).toContain('Actual outcome of DTP-1');
    await expectActualRecorded();
  }, 60_000);
});
