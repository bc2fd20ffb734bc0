/**
 * The Teams app end to end: real-shaped Activities POSTed to the running HTTP server, replies
 * captured by a fake connector at the Activity's serviceUrl, storage on SQLite and Postgres.
 */
import { Resvg } from '@resvg/resvg-js';
import { afterEach, describe, expect, it } from 'vitest';
import { runCommand } from '../../../src/commands/index.ts';
import type { Reply } from '../../../src/reply/reply.ts';
import { loadDemo } from '../../../src/demo/load-demo.ts';
import { getConversationRef, listConversationRefs } from '../../../src/store/conversation-refs.ts';
import { listFlowEvents } from '../../../src/store/flow-events.ts';
import { getStream } from '../../../src/store/value-streams.ts';
import { getWorkItem } from '../../../src/store/work-items.ts';
import { ConversationGoneError } from '../../../src/chat/teams/index.ts';
import { retryAfterMs, statusOf } from '../../../src/chat/teams/throttle-retry.ts';
import { teamsAsk } from '../../../src/chat/teams/teams-wording.ts';
import { testDialects } from '../../support/databases.ts';
import { BOT, CHANNEL_ID, executeActivity, installationUpdateActivity, membersAddedActivity, messageActivity, submitActivity, TENANT, USER } from './support/activities.ts';
import { cardOf, cardProblems, cardText } from './support/card-schema.ts';
import { NOW, startTeamsHarness, type TeamsHarness } from './support/harness.ts';
import { useChartRenderer } from '../../support/chart-renderer.ts';

const charts = useChartRenderer();

const REPLIES = /^\/v3\/conversations\/[^/]+\/activities(\/[^/]+)?$/;
let harness: TeamsHarness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

function chartPng(): Buffer {
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="320" height="160"><rect width="320" height="160" fill="#0072B2"/><circle cx="80" cy="80" r="40" fill="#E69F00"/></svg>';
  return Buffer.from(new Resvg(svg).render().asPng());
}

/** Loads the demo stream and binds the test channel to it through the bot itself. */
async function bindDemo(h: TeamsHarness): Promise<void> {
  await loadDemo(h.store, { now: NOW });
  const { status } = await h.post(messageActivity(h.connector.serviceUrl, 'channel', 'bind demo'));
  expect(status).toBe(200);
  const reply = await h.connector.waitFor(REPLIES, (c) => /demo/.test(cardText(cardOf(c.body))));
  expect(cardText(cardOf(reply.body))).toMatch(/demo/);
}

describe.each(testDialects())('Teams app on %s', (dialect) => {
  it('answers "@flow leadtime" in a channel with a card in the thread, text as the command layer says', async () => {
    harness = await startTeamsHarness(dialect);
    const h = harness;
    await bindDemo(h);
    const res = await h.post(messageActivity(h.connector.serviceUrl, 'channel', 'leadtime 30d'));
    expect(res.status).toBe(200);
    const call = await h.connector.waitFor(REPLIES, (c) => /lead time/i.test(JSON.stringify(c.body)));
    // a reply goes into the thread of the message that asked
    expect(call.path).toMatch(/^\/v3\/conversations\/19:c0ffee0001@thread\.tacv2;messageid=1700000000001\/activities\/[^/]+$/);
    const card = cardOf(call.body);
    expect(cardProblems(card)).toEqual([]);
    const expected = await runCommand({ store: h.store, charts, platform: 'teams', channelId: CHANNEL_ID, teamId: TENANT, userId: USER.aadObjectId, now: NOW }, 'leadtime 30d');
    expect(cardText(card)).toContain(expected.text);
    for (const field of expected.sections?.flatMap((s) => s.fields ?? []) ?? []) expect(cardText(card)).toContain(`${field.label}: ${field.value}`);
    expect(expected.chart).toBeDefined();
    const image = card.body.find((e: any) => e.type === 'Image');
    expect(image.altText).toBe(expected.chart!.summary);
    const png = await fetch(image.url);
    expect(png.headers.get('content-type')).toBe('image/png');
    const bytes = Buffer.from(await png.arrayBuffer());
    expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(bytes.length).toBeGreaterThan(1000);
  });

  it('puts the chart in the card as an image URL with an unguessable token that expires', async () => {
    const png = chartPng();
    let now = NOW;
    const reply: Reply = {
      text: '85% of the 40 items finished in the last 30 days took 9 days or less.',
      sections: [{ title: 'Lead time', fields: [{ label: '50%', value: '4 days' }, { label: '85%', value: '9 days' }] }],
      chart: { png, summary: 'Lead time scatterplot of demo, last 30 days: 85% within 9 days.', kind: 'scatter' },
      buttons: [{ id: 'open-event-form', label: 'Log a policy change', opens: 'event-form' }],
    };
    harness = await startTeamsHarness(dialect, { runCommand: async () => reply, clock: () => now, chartTtlMs: 60_000 });
    const h = harness;
    await h.post(messageActivity(h.connector.serviceUrl, 'channel', 'leadtime'));
    const card = cardOf((await h.connector.waitFor(REPLIES)).body);
    expect(cardProblems(card)).toEqual([]);
    expect(cardText(card)).toContain(reply.text);
    expect(cardText(card)).toContain('85%: 9 days');
    const image = card.body.find((e: any) => e.type === 'Image');
    expect(image.url).toMatch(new RegExp(`^${h.baseUrl}/charts/chart\\.png\\?token=[A-Za-z0-9_-]{43}$`));
    expect(image.altText).toBe(reply.chart!.summary);
    expect(card.actions[0]).toMatchObject({ type: 'Action.Execute', title: 'Log a policy change', verb: 'flow.openForm', data: { form: 'event-form' } });

    const served = await fetch(image.url);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await served.arrayBuffer()).equals(png)).toBe(true);
    const guessed = new URL(image.url);
    guessed.searchParams.set('token', 'A'.repeat(43));
    expect((await fetch(guessed)).status).toBe(404);
    now += 60_001;
    expect((await fetch(image.url)).status).toBe(404);
  });

  it('answers "flow help" in a 1:1 chat', async () => {
    harness = await startTeamsHarness(dialect);
    const h = harness;
    await h.post(messageActivity(h.connector.serviceUrl, 'personal', 'flow help'));
    const call = await h.connector.waitFor(REPLIES);
    const card = cardOf(call.body);
    expect(cardProblems(card)).toEqual([]);
    const help = await runCommand({ store: h.store, charts, platform: 'teams', channelId: 'x', userId: 'u', now: NOW }, 'help');
    expect(cardText(card)).toContain(help.text);
    expect(cardText(card)).toMatch(/leadtime/);
    expect(call.body.entities ?? []).not.toContainEqual(expect.objectContaining({ type: 'activityTreatment' }));
  });

  it('answers "home" in a 1:1 chat with the state of the streams Teams conversations follow (the App Home counterpart)', async () => {
    harness = await startTeamsHarness(dialect);
    const h = harness;
    await h.post(messageActivity(h.connector.serviceUrl, 'personal', 'home'));
    const empty = await h.connector.waitFor(REPLIES);
    expect(cardText(cardOf(empty.body))).toMatch(/No Teams channel .* follows a value stream yet/);
    await bindDemo(h);
    await h.post(messageActivity(h.connector.serviceUrl, 'personal', 'home'));
    const call = await h.connector.waitFor(REPLIES, (c) => /Feature Factory Ratio/.test(JSON.stringify(c.body)));
    const card = cardOf(call.body);
    expect(cardProblems(card)).toEqual([]);
    const text = cardText(card);
    expect(text).toContain('demo (followed in 1 conversation)');
    for (const label of ['Last signal', 'Aging', 'Constraint', 'Experiment', 'Feature Factory Ratio']) expect(text).toContain(`${label}: `);
  });

  it('refuses a per-person request, privately to the asker, without computing anything', async () => {
    harness = await startTeamsHarness(dialect);
    const h = harness;
    await bindDemo(h);
    await h.post(messageActivity(h.connector.serviceUrl, 'channel', 'cycletime by assignee'));
    const call = await h.connector.waitFor(REPLIES, (c) => /person/i.test(JSON.stringify(c.body)));
    const card = cardOf(call.body);
    expect(cardProblems(card)).toEqual([]);
    expect(cardText(card)).toMatch(/does not report metrics per person/);
    expect(card.body.some((e: any) => e.type === 'Image')).toBe(false);
    // ephemeral on Slack → a targeted message on Teams: only the asker sees it
    expect(call.body.entities).toContainEqual({ type: 'activityTreatment', treatment: 'targeted' });
    expect(call.body.recipient.id).toBe(USER.id);
  });

  it('stores the conversation reference on install, welcomes, and posts proactively through it (a 429 goes back to the caller with its Retry-After)', async () => {
    harness = await startTeamsHarness(dialect);
    const h = harness;
    const res = await h.post(membersAddedActivity(h.connector.serviceUrl, 'channel'));
    expect(res.status).toBe(200);
    const ref = await getConversationRef(h.store.db, CHANNEL_ID);
    expect(ref).toMatchObject({ conversationType: 'channel', tenantId: TENANT, teamId: '19:teamgeneral@thread.tacv2', serviceUrl: h.connector.serviceUrl });
    expect((ref!.reference as any).agent.id).toBe(BOT.id);
    const welcome = await h.connector.waitFor(REPLIES);
    expect(cardText(cardOf(welcome.body))).toMatch(/flow-nudge/);
    // installationUpdate for the same install does not welcome twice
    await h.post(installationUpdateActivity(h.connector.serviceUrl, 'channel', 'add'));
    expect(h.connector.sent(REPLIES)).toHaveLength(1);

    h.connector.failNext(/^\/v3\/conversations\/[^/]+\/activities$/, 429, 1, 1);
    const reply = { text: 'Signal: lead time is beyond its upper limit since 12 Nov. What changed?' };
    const throttled = await h.teams.sendProactive(ref!, reply).catch((error: unknown) => error);
    expect(statusOf(throttled)).toBe(429);
    expect(retryAfterMs(throttled)).toBe(1000); // the outbox hands the row back due then
    const id = await h.teams.sendProactive(ref!, reply);
    const posts = h.connector.calls.filter((c) => c.method === 'POST' && /activities$/.test(c.path));
    expect(posts.map((c) => c.status)).toEqual([429, 200]);
    expect(posts[1]!.path).toBe(`/v3/conversations/${CHANNEL_ID}/activities`);
    expect(id).toBeTruthy();
    const card = cardOf(posts[1]!.body);
    expect(cardProblems(card)).toEqual([]);
    expect(cardText(card)).toContain('lead time is beyond its upper limit');

    await h.post(installationUpdateActivity(h.connector.serviceUrl, 'channel', 'remove'));
    expect(await getConversationRef(h.store.db, CHANNEL_ID)).toBeNull();
  });

  it('marks a conversation stale when Teams answers 403 to a proactive post', async () => {
    harness = await startTeamsHarness(dialect);
    const h = harness;
    await h.post(installationUpdateActivity(h.connector.serviceUrl, 'groupChat', 'add'));
    const [ref] = await listConversationRefs(h.store.db, { conversationType: 'groupChat' });
    h.connector.failNext(/activities$/, 403);
    await expect(h.teams.sendProactive(ref!, { text: 'weekly check-in' })).rejects.toBeInstanceOf(ConversationGoneError);
    expect(h.connector.calls.filter((c) => c.status === 403)).toHaveLength(1);
    expect(await listConversationRefs(h.store.db, { conversationType: 'groupChat' })).toEqual([]);
    expect((await getConversationRef(h.store.db, ref!.conversationId))?.staleReason).toMatch(/403/);
  });

  it('opens a 1:1 chat with a person known from a team and stores it', async () => {
    harness = await startTeamsHarness(dialect);
    const h = harness;
    await h.post(installationUpdateActivity(h.connector.serviceUrl, 'channel', 'add'));
    const ref = await h.teams.openDirectChat({ tenantId: TENANT, userId: '29:pm-two', aadObjectId: 'aad-pm-two' });
    const create = await h.connector.waitFor(/^\/v3\/conversations$/);
    expect(create.body).toMatchObject({ isGroup: false, members: [{ id: '29:pm-two' }], tenantId: TENANT, channelData: { tenant: { id: TENANT } } });
    expect(ref).toMatchObject({ conversationId: 'a:fake-conversation-1', conversationType: 'personal', userId: '29:pm-two', tenantId: TENANT });
    await h.teams.sendProactive(ref, { text: 'What should epic CHK-1 achieve?', form: { kind: 'outcome-form', prefill: { epic: 'CHK-1' } } });
    const post = await h.connector.waitFor(/^\/v3\/conversations\/a:fake-conversation-1\/activities$/);
    const card = cardOf(post.body);
    expect(cardProblems(card)).toEqual([]);
    expect(card.body.find((e: any) => e.id === 'epic').value).toBe('CHK-1');
    // asking again reuses the stored chat
    expect((await h.teams.openDirectChat({ tenantId: TENANT, userId: '29:pm-two' })).conversationId).toBe('a:fake-conversation-1');
    expect(h.connector.sent(/^\/v3\/conversations$/)).toHaveLength(1);
  });

  it('stores an event from an Action.Execute card and answers the invoke with the saved card', async () => {
    harness = await startTeamsHarness(dialect);
    const h = harness;
    await bindDemo(h);
    const stream = (await getStream(h.store.db, 'demo'))!;
    const before = (await listFlowEvents(h.store.db, stream.id)).length;

    const bad = await h.post(executeActivity(h.connector.serviceUrl, 'channel', 'flow.saveEvent', { text: ' ', date: '2026-11-20' }));
    expect(bad.status).toBe(200);
    expect(bad.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    expect(cardProblems(bad.body.value)).toEqual([]);
    expect(cardText(bad.body.value)).toMatch(/Not saved: Say what changed/);
    const future = await h.post(executeActivity(h.connector.serviceUrl, 'channel', 'flow.saveEvent', { text: 'WIP limit 3 on Code review', date: '2026-12-01' }));
    expect(cardText(future.body.value)).toMatch(/pick 2026-11-20 or earlier/);
    expect(await listFlowEvents(h.store.db, stream.id)).toHaveLength(before);

    const ok = await h.post(executeActivity(h.connector.serviceUrl, 'channel', 'flow.saveEvent', { text: 'WIP limit 3 on Code review', date: '2026-11-19' }));
    expect(ok.body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardProblems(ok.body.value)).toEqual([]);
    expect(cardText(ok.body.value)).toMatch(/Event logged/);
    const events = await listFlowEvents(h.store.db, stream.id);
    expect(events).toHaveLength(before + 1);
    expect(events.some((e) => e.text === 'WIP limit 3 on Code review')).toBe(true);
  });

  it('opens a form from a card button, and runs a button\'s command after answering the invoke', async () => {
    harness = await startTeamsHarness(dialect);
    const h = harness;
    await bindDemo(h);
    const form = await h.post(executeActivity(h.connector.serviceUrl, 'channel', 'flow.openForm', { form: 'outcome-form', value: 'CHK-7' }));
    expect(form.status).toBe(200);
    expect(form.body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardProblems(form.body.value)).toEqual([]);
    expect(form.body.value.body.find((e: any) => e.id === 'epic').value).toBe('CHK-7');

    const before = h.connector.sent(REPLIES).length;
    const run = await h.post(executeActivity(h.connector.serviceUrl, 'channel', 'flow.command', { command: 'streams' }));
    expect(run.body).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: '"streams": the answer follows in this conversation.' });
    const streams = await h.connector.waitFor(REPLIES, (c) => h.connector.sent(REPLIES).indexOf(c) >= before);
    const expected = await runCommand({ store: h.store, charts, platform: 'teams', channelId: CHANNEL_ID, teamId: TENANT, userId: USER.aadObjectId, now: NOW }, 'streams');
    // the command layer's hint in Teams words: "@flow bind" in a channel, never "/flow"
    expect(expected.text).toContain('/flow bind');
    expect(cardText(cardOf(streams.body))).toContain(teamsAsk(expected.text, 'channel'));
    expect(cardText(cardOf(streams.body))).toContain('@flow bind');
    expect(cardText(cardOf(streams.body))).not.toContain('/flow');
  });

  it('stores an anticipated outcome from an Action.Submit card and confirms in the conversation', async () => {
    harness = await startTeamsHarness(dialect);
    const h = harness;
    await bindDemo(h);
    const stream = (await getStream(h.store.db, 'demo'))!;
    const epic = await h.store.db.selectFrom('work_item').select('key').where('stream_id', '=', stream.id).where('is_epic', '=', 1).executeTakeFirst();
    expect(epic).toBeDefined();

    await h.post(submitActivity(h.connector.serviceUrl, 'channel', 'flow.saveOutcome', { epic: 'NOPE-999', outcome: 'Checkout abandonment below 20% of sessions', observe: '' }));
    const refused = await h.connector.waitFor(REPLIES, (c) => /NOPE-999/.test(JSON.stringify(c.body)));
    expect(cardText(cardOf(refused.body))).toMatch(/Not saved: .*NOPE-999/);

    const outcome = 'Checkout abandonment below 20% of sessions';
    await h.post(submitActivity(h.connector.serviceUrl, 'channel', 'flow.saveOutcome', { epic: epic!.key, outcome, observe: 'Weekly funnel report' }));
    const saved = await h.connector.waitFor(REPLIES, (c) => /Anticipated outcome recorded/.test(JSON.stringify(c.body)));
    expect(cardProblems(cardOf(saved.body))).toEqual([]);
    const item = await getWorkItem(h.store.db, stream.id, epic!.key);
    expect(item?.anticipatedOutcome).toContain(outcome);
    expect(item?.anticipatedOutcome).toContain('Weekly funnel report');
    expect(item?.keyResult).toBeNull();
  });

  it('the outcome card takes the key result; a long one, or one without an outcome, is refused with the reason and nothing stored', async () => {
    harness = await startTeamsHarness(dialect);
    const h = harness;
    await bindDemo(h);
    const stream = (await getStream(h.store.db, 'demo'))!;
    const before = await getWorkItem(h.store.db, stream.id, 'DEMO-E12');
    await h.post(submitActivity(h.connector.serviceUrl, 'channel', 'flow.saveOutcome', { epic: 'DEMO-E12', outcome: 'Analysts answer funnel questions in minutes', keyResult: 'K'.repeat(301) }));
    const long = await h.connector.waitFor(REPLIES, (c) => /Keep the key result under 300 characters/.test(JSON.stringify(c.body)));
    expect(cardText(cardOf(long.body))).toMatch(/Not saved: Keep the key result under 300 characters \(it has 301\)/);
    await h.post(submitActivity(h.connector.serviceUrl, 'channel', 'flow.saveOutcome', { epic: 'DEMO-E12', outcome: '', keyResult: 'O4 KR1: decisions from data' }));
    const empty = await h.connector.waitFor(REPLIES, (c) => /A key result goes with an anticipated outcome/.test(JSON.stringify(c.body)));
    expect(cardText(cardOf(empty.body))).toMatch(/Not saved: A key result goes with an anticipated outcome/);
    expect(await getWorkItem(h.store.db, stream.id, 'DEMO-E12')).toEqual(before);

    await h.post(submitActivity(h.connector.serviceUrl, 'channel', 'flow.saveOutcome', { epic: 'DEMO-E12', outcome: 'Analysts answer funnel questions in minutes', keyResult: 'O4 KR1: decisions from data' }));
    const saved = await h.connector.waitFor(REPLIES, (c) => /for the key result/.test(JSON.stringify(c.body)));
    expect(cardProblems(cardOf(saved.body))).toEqual([]);
    expect(cardText(cardOf(saved.body))).toContain('O4 KR1: decisions from data');
    expect((await getWorkItem(h.store.db, stream.id, 'DEMO-E12'))!.keyResult).toBe('O4 KR1: decisions from data');
  });
});

describe('Teams app: HTTP boundary', () => {
  it('refuses a request without a bearer token when a client id is configured', async () => {
    harness = await startTeamsHarness('sqlite', { env: { clientId: '11111111-2222-3333-4444-555555555555', clientSecret: 'secret', tenantId: TENANT } });
    const res = await harness.post(messageActivity(harness.connector.serviceUrl, 'personal', 'help'));
    expect(res.status).toBe(401);
    expect(harness.connector.calls).toEqual([]);
  });

  it('answers 400 with the reason to a body that is not an Activity', async () => {
    harness = await startTeamsHarness('sqlite');
    const res = await fetch(`${harness.baseUrl}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type": "message", ' });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/not JSON/);
    const noType = await harness.post({ text: 'hello' });
    expect(noType.status).toBe(400);
  });

  it('says in the log that it runs unauthenticated without a client id', async () => {
    harness = await startTeamsHarness('sqlite');
    expect(harness.logs.some((l) => l.level === 'warn' && /no clientId set.*unauthenticated/.test(l.message))).toBe(true);
  });
});
