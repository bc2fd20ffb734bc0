/**
 * Every Adaptive Card the bot sends, read by Microsoft's `adaptivecards` library at version
 * 1.5: 0 errors. The cards are collected where Teams would get them — the fake connector
 * (answers and proactive nudges) and the invoke responses — across the welcome, help, every
 * command, the forms and their saves, the check-in and every kind of nudge.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METRIC_COMMANDS, XMR_SERIES } from '../../../src/commands/parse.ts';
import { createTeamsDeliverer } from '../../../src/chat/teams/deliverer.ts';
import { getOpenExperiment } from '../../../src/store/experiments.ts';
import { getConversationRef } from '../../../src/store/conversation-refs.ts';
import { getBinding } from '../../../src/store/channel-bindings.ts';
import { loadStreamHistory } from '../../../src/store/stream-history.ts';
import { checkAging } from '../../../src/nudges/aging-alert.ts';
import { postCheckin } from '../../../src/nudges/checkin-agenda.ts';
import { listEpics } from '../../../src/nudges/epics.ts';
import { experimentReviewMessage } from '../../../src/nudges/experiment-review.ts';
import { createNudgeCharts } from '../../../src/nudges/nudge-charts.ts';
import { outcomeAskMessage, outcomeReminderMessage, outcomeReviewMessage } from '../../../src/nudges/outcome-ask.ts';
import { createOutboxWorker } from '../../../src/nudges/outbox-worker.ts';
import { checkSignals } from '../../../src/nudges/signal-alert.ts';
import { DAY, startDemoReplay } from '../../nudges/support/demo-replay.ts';
import { CHANNEL_ID, executeActivity, membersAddedActivity, messageActivity, submitActivity, type Scope } from './support/activities.ts';
import { adaptiveCardsProblems } from './support/adaptive-cards-sdk.ts';
import { cardText } from './support/card-schema.ts';
import { NOW, startTeamsHarness, type TeamsHarness } from './support/harness.ts';
import { useChartRenderer } from '../../support/chart-renderer.ts';

const charts = useChartRenderer();

const REPLIES = /^\/v3\/conversations\/[^/]+\/activities(\/[^/]+)?$/;
const CARD = 'application/vnd.microsoft.card.adaptive';

interface Collected {
  what: string;
  card: any;
}

describe('every Adaptive Card the bot sends is valid 1.5 for Microsoft\'s adaptivecards library', () => {
  let h: TeamsHarness;
  const cards: Collected[] = [];

  /** The cards posted to the connector since `before`, labelled. */
  function collectPosted(before: number, what: string): number {
    const posted = h.connector.sent(REPLIES).slice(before);
    for (const call of posted) {
      for (const a of call.body?.attachments ?? []) if (a.contentType === CARD) cards.push({ what, card: a.content });
    }
    return posted.length;
  }

  async function say(scope: Scope, text: string): Promise<void> {
    const before = h.connector.sent(REPLIES).length;
    const res = await h.post(messageActivity(h.connector.serviceUrl, scope, text));
    expect(res.status, text).toBe(200);
    await h.connector.waitFor(REPLIES, (c) => h.connector.sent(REPLIES).indexOf(c) >= before, 30_000);
    collectPosted(before, `${scope}: ${text}`);
  }

  async function invoke(verb: string, data: Record<string, unknown>): Promise<void> {
    const before = h.connector.sent(REPLIES).length;
    const res = await h.post(executeActivity(h.connector.serviceUrl, 'channel', verb, data));
    expect(res.status, verb).toBe(200);
    if (res.body?.type === CARD) cards.push({ what: `invoke ${verb} ${JSON.stringify(data)}`, card: res.body.value });
    collectPosted(before, `after invoke ${verb}`);
  }

  beforeAll(async () => {
    h = await startTeamsHarness('sqlite');
    const replay = await startDemoReplay(h.store, NOW);
    const policy = replay.demo.events[0]!;
    let t = policy.at - 20 * DAY;
    await replay.advanceTo(t);

    // welcome in a channel and in a 1:1 chat
    for (const scope of ['channel', 'personal'] as const) {
      const before = h.connector.sent(REPLIES).length;
      await h.post(membersAddedActivity(h.connector.serviceUrl, scope));
      await h.connector.waitFor(REPLIES, (c) => h.connector.sent(REPLIES).indexOf(c) >= before);
      collectPosted(before, `welcome (${scope})`);
    }
    await say('channel', 'bind demo');

    // nudges through the outbox and the real Teams deliverer: the signal alert after the policy change
    const ctx = { store: h.store, charts: createNudgeCharts(charts) };
    const worker = createOutboxWorker({ store: h.store, now: () => t });
    worker.register(createTeamsDeliverer({ store: h.store, teams: h.teams }));
    await checkSignals(ctx, t);
    let alerts = 0;
    for (t += DAY; t <= policy.at + 40 * DAY && alerts === 0; t += DAY) {
      await replay.advanceTo(t);
      alerts = (await checkSignals(ctx, t)).flatMap((r) => r.posts).length;
    }
    let before = h.connector.sent(REPLIES).length;
    await worker.runOnce();
    collectPosted(before, 'signal alert');

    // today: aging alert and the weekly check-in, then the commands
    t = NOW;
    await replay.advanceTo(NOW);
    const history = (await loadStreamHistory(h.store, 'demo'))!;
    const binding = (await getBinding(h.store.db, 'teams', CHANNEL_ID))!;
    await checkAging(ctx, { ...history, name: 'demo' }, binding, NOW);
    await postCheckin(ctx, { ...history, name: 'demo' }, binding, NOW);
    before = h.connector.sent(REPLIES).length;
    await worker.runOnce();
    collectPosted(before, 'aging alert and check-in');

    const commands = [
      'help', 'streams', 'velocity', 'leadtime by assignee',
      ...METRIC_COMMANDS.map((m) => `${m} 30d`), ...XMR_SERIES.map((s) => `xmr ${s}`),
      'forecast 30 items', 'forecast 14 days', 'forecast', 'event list', 'event WIP limit 3 in Code review', 'event',
      'outcome', 'outcome NOPE-1 Something measurable happens', 'ffr',
      'experiment', 'experiment start Pairing on reviews | measure cycletime | review 2026-12-18', 'experiment status',
      'checkin', 'checkin monday 09:30', 'checkin now', 'owner', 'owner ana@example.com nobody', 'leadtime 30x',
    ];
    for (const command of commands) await say('channel', command);
    await say('personal', 'home');
    await say('personal', 'help');

    // the outcome asks and the experiment review, posted proactively into the channel
    const ref = (await getConversationRef(h.store.db, CHANNEL_ID))!;
    const epics = await listEpics(h.store.db, history.id, history.map);
    const epic = epics[0]!;
    const experiment = (await getOpenExperiment(h.store.db, history.id))!;
    const nudges = [
      outcomeAskMessage('demo', epic),
      outcomeReminderMessage('demo', epic),
      outcomeReviewMessage('demo', { ...epic, anticipatedOutcome: 'Checkout abandonment below 20%' }),
      experimentReviewMessage(experiment, { ...history, name: 'demo' }, NOW + 28 * DAY),
    ];
    before = h.connector.sent(REPLIES).length;
    for (const nudge of nudges) await h.teams.sendProactive(ref, nudge);
    collectPosted(before, 'outcome asks and experiment review');
    await say('channel', 'experiment end');

    // the forms: opened, saved with problems, saved; a button's command; a verb no card has
    await invoke('flow.openForm', { form: 'event-form' });
    await invoke('flow.openForm', { form: 'outcome-form', value: epic.key });
    await invoke('flow.saveEvent', { text: 'x', date: '2999-01-01' });
    await invoke('flow.saveEvent', { text: 'Swarming on the oldest item', date: '' });
    await invoke('flow.saveOutcome', { epic: 'NOPE-9', outcome: 'short' });
    await invoke('flow.saveOutcome', { epic: epic.key, outcome: 'Checkout abandonment below 20% of sessions', observe: 'Weekly funnel report' });
    await invoke('flow.removedLongAgo', {});
    before = h.connector.sent(REPLIES).length;
    await h.post(submitActivity(h.connector.serviceUrl, 'channel', 'flow.saveEvent', { text: 'Daily replenishment meeting', date: '' }));
    await h.connector.waitFor(REPLIES, (c) => h.connector.sent(REPLIES).indexOf(c) >= before);
    collectPosted(before, 'Action.Submit save');
  }, 240_000);

  afterAll(async () => {
    await h?.close();
  });

  it('collects the cards of every kind of answer and nudge', () => {
    const all = cards.map((c) => cardText(c.card)).join('\n');
    for (const seen of [
      /Hello! flow-nudge/, /XmR and forecast/, /Lead time of demo/, /Cycle time of demo/, /Weekly check-in for demo/, /Signals since last week/,
      /Log a flow event/, /Anticipated outcome of/, /Event logged/, /Anticipated outcome recorded/, /does not know/,
      /finished items in a row|beyond the (upper|lower) limit|of the last 4/i, /past the 85th percentile|aging/i,
      /held \d+ items for [\d.]+ days on average in the last 90 days: about EUR [\d,]+ of delay/,
    ]) {
      expect(all).toMatch(seen);
    }
    expect(cards.filter((c) => c.what === 'signal alert').length).toBeGreaterThanOrEqual(1);
    expect(cards.filter((c) => c.what === 'aging alert and check-in').length).toBeGreaterThanOrEqual(2);
    // the outcome asks open their form card straight away, saying why they ask; the review asks for the actual outcome
    const asks = cards.filter((c) => c.what === 'outcome asks and experiment review').map((c) => cardText(c.card));
    expect(asks.filter((t) => /^Anticipated outcome of .*\nYou own the epic/.test(t))).toHaveLength(1);
    expect(asks.filter((t) => /^Anticipated outcome of .*\nReminder: the epic/.test(t))).toHaveLength(1);
    expect(asks.filter((t) => /^Actual outcome of .*\nThe epic .* has closed/.test(t))).toHaveLength(1);
    // the outcome input starts empty (the prefill's "outcome: actual" names the form, it is no answer)
    for (const c of cards.filter((x) => x.what === 'outcome asks and experiment review' && /outcome of/.test(cardText(x.card)))) {
      expect(c.card.body.find((e: any) => e.id === 'outcome').value).toBe('');
    }
    expect(cards.some((c) => c.what === 'outcome asks and experiment review' && /Experiment|experiment/.test(cardText(c.card)))).toBe(true);
    expect(cards.length).toBeGreaterThan(50);
  });

  it('finds 0 errors in each card', () => {
    const problems = cards.flatMap((c) => adaptiveCardsProblems(c.card).map((p) => `${c.what}: ${p}`));
    expect(problems).toEqual([]);
  });

  it('the library does report a broken card (so 0 means something)', () => {
    const broken = { type: 'AdaptiveCard', version: '1.6', body: [{ type: 'TextBlock', text: 'x', color: 'pink' }, { type: 'Carousel' }, { type: 'Input.Text', id: 'a', isRequired: true }, { type: 'Input.Text', id: 'a' }] };
    expect(adaptiveCardsProblems(broken)).toEqual([
      'InvalidPropertyValue: Invalid value "pink" for property "color".',
      'UnknownElementType: Unknown element type "Carousel". Fallback will be used if present.',
      'RequiredInputsShouldHaveLabel: Required inputs should have a label',
      'RequiredInputsShouldHaveErrorMessage: Required inputs should have an error message',
      'DuplicateId: Duplicate Id "a".',
      'UnsupportedCardVersion: the card says version 1.6; Teams renders 1.5',
    ]);
  });
});
