/**
 * The playground's routes over real HTTP on 127.0.0.1, against the real server and store:
 * what the page's script sends and what a user then sees in the channel and the database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getWorkItem } from '../../../src/store/work-items.ts';
import { listFlowEvents } from '../../../src/store/flow-events.ts';
import { getOpenExperiment } from '../../../src/store/experiments.ts';
import { DEFAULT_PLAYGROUND_WEBHOOK_SECRET, jiraSignature, jiraStatusChangeBody } from '../../../src/chat/playground/webhook-config.ts';
import type { PlaygroundMessage } from '../../../src/chat/playground/channel-log.ts';
import { testDialects } from '../../support/databases.ts';
import { startPlayground, type RunningPlayground } from './support/start-playground.ts';

type Messages = { messages: PlaygroundMessage[]; last: number; reset: boolean };

async function postJson(url: string, body: unknown, contentType = 'application/json') {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

describe('playground page and commands', () => {
  let p: RunningPlayground;
  beforeAll(async () => {
    p = await startPlayground({ nudges: false });
  });
  afterAll(async () => {
    await p?.close();
  });

  it('serves the page, its script and its stylesheet from the same server', async () => {
    const page = await fetch(`${p.url}/`);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await page.text();
    expect(html).toContain('<label for="composer-input" class="visually-hidden">Message #playground</label>');
    expect(html).toContain('placeholder="/flow "');
    expect(html).toContain('follows the value stream <strong>demo</strong>');
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org)/); // nothing from the internet
    for (const id of ['event-form', 'outcome-form', 'experiment-form']) expect(html).toContain(`<dialog id="${id}"`);
    // epics without an anticipated outcome are suggested in the outcome form
    expect(html).toMatch(/<option value="DEMO-E\d+">/);
    const js = await fetch(`${p.url}/playground/app.js`);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toContain('/playground/messages?after=');
    const css = await fetch(`${p.url}/playground/app.css`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('answers a /flow command with the typed line and the reply, and opens forms the reply asks for', async () => {
    const ffr = await postJson(`${p.url}/playground/command`, { text: '/flow ffr' });
    expect(ffr.status).toBe(200);
    const [typed, reply] = ffr.body.messages as PlaygroundMessage[];
    expect(typed).toMatchObject({ author: 'you', kind: 'command', text: '/flow ffr' });
    expect(reply).toMatchObject({ author: 'bot', name: 'flow-nudge', kind: 'reply' });
    expect(reply!.text).toMatch(/^Feature Factory Ratio of demo: \d+%/);
    expect(reply!.buttons?.[0]).toMatchObject({ label: 'Record an outcome', opens: 'outcome-form' });

    const event = await postJson(`${p.url}/playground/command`, { text: '/flow event' });
    expect(event.body.messages[1]).toMatchObject({ ephemeral: true, form: { kind: 'event-form' } });
  });

  it('refuses per-person questions and explains plain text and other slash commands', async () => {
    const person = await postJson(`${p.url}/playground/command`, { text: '/flow cycletime by assignee' });
    expect(person.body.messages[1].text).toMatch(/^I won't do that: flow-nudge does not report metrics per person/);
    const plain = await postJson(`${p.url}/playground/command`, { text: 'hello bot' });
    expect(plain.body.messages[1]).toMatchObject({ ephemeral: true, text: 'flow-nudge answers /flow commands. Try /flow leadtime or /flow help.' });
    const other = await postJson(`${p.url}/playground/command`, { text: '/giphy cats' });
    expect(other.body.messages[1].text).toBe('Only /flow commands work here; "/giphy" is not one. Try /flow leadtime or /flow help.');
  });

  it('rejects a body that is not JSON, or an empty command, with the reason', async () => {
    const form = await postJson(`${p.url}/playground/command`, 'text=%2Fflow+ffr', 'application/x-www-form-urlencoded');
    expect(form).toEqual({ status: 415, body: { error: 'send the body as JSON with Content-Type: application/json (got "application/x-www-form-urlencoded")' } });
    const empty = await postJson(`${p.url}/playground/command`, { text: '   ' });
    expect(empty).toEqual({ status: 400, body: { error: 'command: text: type a command, e.g. /flow leadtime' } });
    const broken = await postJson(`${p.url}/playground/command`, '{"text":');
    expect(broken.status).toBe(400);
  });

  it('long-polls the channel: a waiting reader gets the next message as soon as it is posted', async () => {
    const now = (await (await fetch(`${p.url}/playground/messages?after=0`)).json()) as Messages;
    expect(now.messages[0]!.text).toMatch(/^Welcome to the flow-nudge playground/);
    const started = Date.now();
    const waiting = fetch(`${p.url}/playground/messages?after=${now.last}&wait=20`).then((r) => r.json() as Promise<Messages>);
    await new Promise((resolve) => setTimeout(resolve, 300));
    p.playground.post({ text: 'A nudge from the bot.' }, { label: 'Nudge' });
    const got = await waiting;
    expect(Date.now() - started).toBeLessThan(5000);
    expect(got.messages.map((m) => [m.kind, m.label, m.text])).toEqual([['nudge', 'Nudge', 'A nudge from the bot.']]);
    // a reader that knows ids the server has never given (it restarted) starts again
    const stale = (await (await fetch(`${p.url}/playground/messages?after=${got.last + 100}`)).json()) as Messages;
    expect(stale.reset).toBe(true);
    expect(stale.messages.length).toBe(got.last);
    const bad = await fetch(`${p.url}/playground/messages?after=-1`);
    expect(bad.status).toBe(400);
  });

  it('serves a posted chart at its URL', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const message = p.playground.post({ text: 'With a chart.', chart: { png, summary: 'Lead time scatterplot', kind: 'scatter' } });
    expect(message.chart).toMatchObject({ alt: 'Lead time scatterplot', kind: 'scatter' });
    const image = await fetch(`${p.url}${message.chart!.url}`);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await image.arrayBuffer())).toEqual(png);
  });

  it('shows a signed tracker webhook as a transition line, and ignores a badly signed one', async () => {
    const body = jiraStatusChangeBody({ key: 'DEMO-901', title: 'Gift wrapping', from: 'In Progress', to: 'In Review', at: Date.now() });
    const forged = await fetch(`${p.url}/webhooks/jira`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature': jiraSignature('wrong', body) }, body });
    expect(forged.status).toBe(401);
    const before = ((await (await fetch(`${p.url}/playground/messages?after=0`)).json()) as Messages).last;
    const signed = await fetch(`${p.url}/webhooks/jira`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature': jiraSignature(DEFAULT_PLAYGROUND_WEBHOOK_SECRET, body) }, body });
    expect(signed.status).toBe(202);
    const got = (await (await fetch(`${p.url}/playground/messages?after=${before}&wait=10`)).json()) as Messages;
    expect(got.messages.map((m) => [m.author, m.name, m.text])).toEqual([['tracker', 'Jira', 'DEMO-901 moved In Progress → In Review · Gift wrapping']]);
  });

  it('says what is missing when the nudge controls have no src/nudges to run', async () => {
    const replay = await postJson(`${p.url}/playground/replay-demo`, {});
    expect(replay.status).toBe(501);
    expect(replay.body.error).toMatch(/^Replay: src\/nudges is not wired to the playground/);
  });
});

describe.each(testDialects())('playground forms (%s)', (dialect) => {
  let p: RunningPlayground;
  beforeAll(async () => {
    p = await startPlayground({ dialect, nudges: false });
  });
  afterAll(async () => {
    await p?.close();
  });

  it('records an anticipated outcome after the checks of the Slack modal', async () => {
    const short = await postJson(`${p.url}/playground/forms/outcome`, { epic: 'DEMO-E3', outcome: 'faster' });
    expect(short.status).toBe(422);
    expect(short.body.errors.outcome).toMatch(/at least 10 characters/);
    const badKey = await postJson(`${p.url}/playground/forms/outcome`, { epic: 'DEMO E3', outcome: 'Repeat purchases up by a tenth' });
    expect(badKey.body.errors).toEqual({ epic: 'Give the epic key as in the tracker, e.g. CHK-12.' });
    const notEpic = await postJson(`${p.url}/playground/forms/outcome`, { epic: 'DEMO-1', outcome: 'Repeat purchases up by a tenth' });
    expect(notEpic.body.errors.epic).toMatch(/^DEMO-1 \(.*\) is not an epic/);
    const unknown = await postJson(`${p.url}/playground/forms/outcome`, { epic: 'DEMO-E99', outcome: 'Repeat purchases up by a tenth' });
    expect(unknown.body.errors.epic).toMatch(/has no item DEMO-E99/);

    const saved = await postJson(`${p.url}/playground/forms/outcome`, { epic: 'DEMO-E3', outcome: 'Repeat purchases up by a tenth', observe: 'Monthly sales report' });
    expect(saved.status).toBe(200);
    expect(saved.body.messages[0].text).toMatch(/^Anticipated outcome of DEMO-E3 \(.*\) recorded/);
    const epic = await getWorkItem(p.store.db, p.streamId, 'DEMO-E3');
    expect(epic?.anticipatedOutcome).toBe('Repeat purchases up by a tenth\nObserved by: Monthly sales report');
    expect(epic?.keyResult).toBeNull();
  });

  it('stores the key result next to the anticipated outcome; refuses a long one or one without an outcome, storing nothing', async () => {
    const before = await getWorkItem(p.store.db, p.streamId, 'DEMO-E6');
    const long = await postJson(`${p.url}/playground/forms/outcome`, { epic: 'DEMO-E6', outcome: 'Monthly subscribers reach 2,000', keyResult: 'K'.repeat(301) });
    expect(long.status).toBe(422);
    expect(long.body.errors).toEqual({ keyResult: 'Keep the key result under 300 characters (it has 301): name the OKR and key result, e.g. "O2 KR1: repeat purchases +10%".' });
    const empty = await postJson(`${p.url}/playground/forms/outcome`, { epic: 'DEMO-E6', outcome: '', keyResult: 'O1 KR2: recurring revenue +15%' });
    expect(empty.status).toBe(422);
    expect(empty.body.errors.outcome).toBe('A key result goes with an anticipated outcome: describe the outcome too (at least 10 characters), or leave the key result empty.');
    expect(await getWorkItem(p.store.db, p.streamId, 'DEMO-E6')).toEqual(before);

    const saved = await postJson(`${p.url}/playground/forms/outcome`, { epic: 'DEMO-E6', outcome: 'Monthly subscribers reach 2,000', keyResult: 'O1 KR2: recurring revenue +15%' });
    expect(saved.status).toBe(200);
    expect(saved.body.messages[0].text).toContain('recorded: "Monthly subscribers reach 2,000", for the key result "O1 KR2: recurring revenue +15%"');
    expect((await getWorkItem(p.store.db, p.streamId, 'DEMO-E6'))!.keyResult).toBe('O1 KR2: recurring revenue +15%');
  });

  it('logs a policy change, refusing a date in the future', async () => {
    const future = await postJson(`${p.url}/playground/forms/event`, { text: 'WIP limit 2 in Testing', date: '2999-01-01' });
    expect(future.status).toBe(422);
    expect(future.body.errors.date).toMatch(/^Log a change once it has happened: pick \d{4}-\d\d-\d\d or earlier\.$/);
    const before = (await listFlowEvents(p.store.db, p.streamId)).length;
    const logged = await postJson(`${p.url}/playground/forms/event`, { text: 'WIP limit 2 in Testing' });
    expect(logged.status).toBe(200);
    expect(logged.body.messages[0].text).toMatch(/^Logged for demo on \d{4}-\d\d-\d\d: "WIP limit 2 in Testing"/);
    const events = await listFlowEvents(p.store.db, p.streamId);
    expect(events.length).toBe(before + 1);
    expect(events.at(-1)).toMatchObject({ text: 'WIP limit 2 in Testing', kind: 'policy' });
  });

  it('starts one experiment at a time through the experiment command', async () => {
    const bar = await postJson(`${p.url}/playground/forms/experiment`, { policy: 'WIP 3 | WIP 4' });
    expect(bar.body.errors.policy).toMatch(/cannot contain "\|"/);
    const past = await postJson(`${p.url}/playground/forms/experiment`, { policy: 'Swarm on reviews', review: '2020-01-01' });
    expect(past.body.errors.review).toMatch(/^The review date 2020-01-01 is not in the future/);
    const started = await postJson(`${p.url}/playground/forms/experiment`, { policy: 'Swarm on reviews', measure: 'cycletime', review: '2999-01-01', owner: 'tech lead' });
    expect(started.status).toBe(200);
    expect(started.body.messages[0].text).toMatch(/^Experiment started for demo: "Swarm on reviews"\. Measure: cycletime\. Review on 2999-01-01\./);
    expect(await getOpenExperiment(p.store.db, p.streamId)).toMatchObject({ policy: 'Swarm on reviews', measure: 'cycletime', reviewOn: '2999-01-01', ownerRole: 'tech lead' });
    const second = await postJson(`${p.url}/playground/forms/experiment`, { policy: 'Pair on testing' });
    expect(second.status).toBe(422);
    expect(second.body.errors.form).toMatch(/already runs the experiment "Swarm on reviews"/);
  });
});

describe('the whole loop: a webhook, its transition, the nudge it triggers', () => {
  const NOW = Date.UTC(2026, 10, 24, 12);
  // The demo ends on NOW; on 31 Oct its last run below the average (since the policy change)
  // had ended the day before, so a signal check then has a recent signal to post.
  const OCT_31 = Date.UTC(2026, 9, 31, 12);
  let current = NOW;
  let p: RunningPlayground;
  beforeAll(async () => {
    p = await startPlayground({ now: () => current });
  });
  afterAll(async () => {
    await p?.close();
  });

  it('shows the transition, then the signal alert the check after it posts through the outbox', async () => {
    current = OCT_31;
    const body = jiraStatusChangeBody({ key: 'DEMO-902', title: 'Gift cards', from: 'In Progress', to: 'In Review', at: current });
    const signed = await fetch(`${p.url}/webhooks/jira`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature': jiraSignature(DEFAULT_PLAYGROUND_WEBHOOK_SECRET, body) }, body });
    expect(signed.status).toBe(202);
    const seen: PlaygroundMessage[] = [];
    for (let i = 0; i < 20 && !seen.some((m) => m.kind === 'nudge'); i++) {
      const page = (await (await fetch(`${p.url}/playground/messages?after=${seen.at(-1)?.id ?? 1}&wait=5`)).json()) as Messages;
      seen.push(...page.messages);
    }
    expect(seen[0]).toMatchObject({ kind: 'transition', text: 'DEMO-902 moved In Progress → In Review · Gift cards' });
    const alert = seen.find((m) => m.kind === 'nudge');
    expect(alert?.label).toBe('XmR signal');
    expect(alert?.text).toMatch(/Something changed — what\?/);
    expect(alert?.buttons).toEqual([{ id: 'open-event-form', label: 'Log what changed', opens: 'event-form' }]);
    expect(alert?.chart?.url).toMatch(/^\/playground\/charts\/.+\.png$/);
    current = NOW;
  });

  it('runs the weekly check-in now, as often as asked, with its five sections', async () => {
    for (let i = 0; i < 2; i++) {
      const run = await postJson(`${p.url}/playground/checkin-now`, {});
      expect(run.status).toBe(200);
      expect(run.body.summary).toBe('Weekly check-in posted.');
      const checkin = (run.body.messages as PlaygroundMessage[]).find((m) => m.label === 'Weekly check-in');
      expect(checkin?.text).toMatch(/^Weekly check-in for demo — 15 minutes/);
      expect(checkin?.sections?.map((s) => s.title)).toHaveLength(5);
    }
  });
});
