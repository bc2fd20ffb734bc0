/**
 * What a Teams user reads: lines as lines, hints in Teams words (`@flow …` in a channel, the
 * bare command in a 1:1 chat), mentions with their entity, every chart of an answer, and a
 * clear card for a card action the bot does not know. Activities POSTed to the running server,
 * answers captured by the fake connector.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadDemo } from '../../../src/demo/load-demo.ts';
import { findOwnerMappings } from '../../../src/nudges/owner-directory.ts';
import { BOT, executeActivity, messageActivity, type Scope } from './support/activities.ts';
import { cardOf, cardProblems, cardText } from './support/card-schema.ts';
import { NOW, startTeamsHarness, type TeamsHarness } from './support/harness.ts';

const REPLIES = /^\/v3\/conversations\/[^/]+\/activities(\/[^/]+)?$/;
let harness: TeamsHarness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function ask(h: TeamsHarness, scope: Scope, text: string, match: RegExp, activity?: object): Promise<any> {
  const before = h.connector.sent(REPLIES).length;
  const res = await h.post(activity ?? messageActivity(h.connector.serviceUrl, scope, text));
  expect(res.status).toBe(200);
  const call = await h.connector.waitFor(REPLIES, (c) => h.connector.sent(REPLIES).indexOf(c) >= before && match.test(JSON.stringify(c.body)), 20_000);
  return call.body;
}

const textBlocks = (card: any): string[] => {
  const out: string[] = [];
  const walk = (e: any) => {
    if (e?.type === 'TextBlock') out.push(e.text);
    for (const child of e?.items ?? []) walk(child);
  };
  for (const e of card.body) walk(e);
  return out;
};

describe('Teams replies in Teams words', () => {
  it('shows help as groups, one TextBlock per command, asking with @flow in a channel', async () => {
    harness = await startTeamsHarness('sqlite');
    const card = cardOf(await ask(harness, 'channel', 'help', /Commands/));
    expect(cardProblems(card)).toEqual([]);
    const blocks = textBlocks(card);
    for (const group of ['Metrics', 'XmR and forecast', 'Outcomes and experiments', 'Check-in and setup']) expect(blocks).toContain(group);
    expect(blocks).toContain('@flow leadtime 30d — lead time percentiles and scatterplot');
    expect(blocks).toContain('@flow forecast 30 items — Monte Carlo: when 30 items are done (or: forecast 14 days)');
    expect(blocks.every((b) => !b.includes('\n'))).toBe(true);
    expect(cardText(card)).not.toContain('/flow');
  });

  it('gives the bare command in a 1:1 chat, and lists what forecast accepts', async () => {
    harness = await startTeamsHarness('sqlite');
    const help = cardOf(await ask(harness, 'personal', 'help', /Commands/));
    expect(textBlocks(help)).toContain('leadtime 30d — lead time percentiles and scatterplot');
    expect(cardText(help)).not.toMatch(/[/@]flow /);
    await loadDemo(harness.store, { now: NOW });
    await ask(harness, 'personal', 'bind demo', /demo/);
    const forecast = cardOf(await ask(harness, 'personal', 'forecast', /forecast needs/));
    expect(textBlocks(forecast)[0]).toBe(
      'forecast needs a number and "items" or "days". Ask forecast 30 items (when will 30 more be done) or forecast 14 days (how many in the next 14 days); the number is 1 to 10000.',
    );
  });

  it('takes an owner from a Teams mention entity and answers with a mention of them', async () => {
    harness = await startTeamsHarness('sqlite');
    const h = harness;
    const ana = { id: '29:1ana-lopez-teams-id', name: 'Ana Lopez' };
    const activity = messageActivity(h.connector.serviceUrl, 'channel', 'owner ana@example.com <at>Ana Lopez</at>');
    activity.entities.push({ type: 'mention', text: '<at>Ana Lopez</at>', mentioned: ana } as never);
    const card = cardOf(await ask(h, 'channel', '', /Noted/, activity));
    expect(cardProblems(card)).toEqual([]);
    expect(cardText(card)).toContain('direct message to <at>Ana Lopez</at> here');
    expect(card.msteams.entities).toEqual([{ type: 'mention', text: '<at>Ana Lopez</at>', mentioned: ana }]);
    expect(await findOwnerMappings(h.store.db, 'ana@example.com')).toEqual([{ platform: 'teams', userRef: ana.id }]);

    // Teams cannot look a person up by e-mail: the answer says to mention them
    const byMail = cardOf(await ask(h, 'channel', 'owner bo@example.com bo@example.com', /cannot find a person by e-mail/));
    expect(cardText(byMail)).toContain('mention them instead');
    expect(BOT.name).toBe('flow');
  });

  it('puts every chart of "checkin now" in the card', async () => {
    harness = await startTeamsHarness('sqlite');
    await loadDemo(harness.store, { now: NOW });
    await ask(harness, 'channel', 'bind demo', /demo/);
    const card = cardOf(await ask(harness, 'channel', 'checkin now', /Weekly check-in/));
    expect(cardProblems(card)).toEqual([]);
    const images = card.body.filter((e: any) => e.type === 'Image');
    expect(images).toHaveLength(2);
    for (const image of images) expect((await fetch(image.url)).headers.get('content-type')).toBe('image/png');
    // the sections keep their lines: "Signals since last week · 3 min" is its own heading
    expect(textBlocks(card)).toContain('Signals since last week · 3 min');
  });

  it('words the saved card of a form the Teams way', async () => {
    harness = await startTeamsHarness('sqlite');
    await loadDemo(harness.store, { now: NOW });
    await ask(harness, 'channel', 'bind demo', /demo/);
    const res = await harness.post(executeActivity(harness.connector.serviceUrl, 'channel', 'flow.saveEvent', { text: 'Swarm on the oldest item', date: '' }));
    expect(res.body.type).toBe('application/vnd.microsoft.card.adaptive');
    const text = cardText(res.body.value);
    expect(text).toContain('@flow xmr will show whether it made a difference');
    expect(text).not.toContain('/flow');
  });

  it('answers a card action with an unknown verb with an error card, not an empty 501', async () => {
    harness = await startTeamsHarness('sqlite');
    const res = await harness.post(executeActivity(harness.connector.serviceUrl, 'channel', 'flow.removedLongAgo', {}));
    expect(res.status).toBe(200);
    expect(res.body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardProblems(res.body.value)).toEqual([]);
    expect(cardText(res.body.value)).toContain('This card asks flow-nudge for the action "flow.removedLongAgo", which it does not know');
  });
});
