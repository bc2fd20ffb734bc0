import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cycleTime, leadTime, stageBreakdown, featureFactoryRatio, throughput } from '../../src/core/index.ts';
import type { Store } from '../../src/store/database.ts';
import { loadDemo } from '../../src/demo/load-demo.ts';
import { DEMO_MAP } from '../../src/demo/demo-stream.ts';
import { runCommand, type CommandContext } from '../../src/commands/index.ts';
import { getOpenExperiment } from '../../src/store/experiments.ts';
import { listFlowEvents } from '../../src/store/flow-events.ts';
import { getStream } from '../../src/store/value-streams.ts';
import { getWorkItem, loadWorkItems } from '../../src/store/work-items.ts';
import { openTestStore, testDialects } from '../support/databases.ts';
import { useChartRenderer } from '../support/chart-renderer.ts';

const charts = useChartRenderer();

const NOW = Date.UTC(2026, 10, 24, 12);
const DAY = 86_400_000;

describe.each(testDialects())('runCommand on the demo stream (%s)', (dialect) => {
  let store: Store;
  let ctx: CommandContext;
  let streamId: number;

  beforeAll(async () => {
    store = await openTestStore(dialect);
    await loadDemo(store, { now: NOW });
    streamId = (await getStream(store.db, 'demo'))!.id;
    ctx = { store, charts, platform: 'slack', channelId: 'C-FLOW', teamId: 'T1', userId: 'U1', now: NOW };
  });
  afterAll(async () => {
    await store.close();
  });

  it('tells an unbound channel how to bind, for any stream command', async () => {
    for (const text of ['leadtime', 'ffr', 'event list', 'experiment status']) {
      const reply = await runCommand({ ...ctx, channelId: 'C-UNBOUND' }, text);
      expect(reply.ephemeral).toBe(true);
      expect(reply.text).toContain('/flow bind');
      expect(reply.error?.code).toBe('channel-not-bound');
    }
  });

  it('refuses per-person requests without touching the store', async () => {
    const broken = { ...store, db: new Proxy(store.db, { get: () => { throw new Error('the store was read'); } }) } as Store;
    for (const text of ['leadtime by assignee', 'who is slowest', 'cycletime <@U999>']) {
      const reply = await runCommand({ ...ctx, store: broken }, text);
      expect(reply.error?.code).toBe('per-person-refused');
      expect(reply.text).toMatch(/per person/);
      expect(reply.chart).toBeUndefined();
    }
  });

  it('lists the streams and binds the channel; an unknown stream is named with the choices', async () => {
    expect((await runCommand(ctx, 'streams')).sections?.[0]?.fields?.map((f) => f.label)).toEqual(['demo']);
    const wrong = await runCommand(ctx, 'bind checkout');
    expect(wrong.error?.code).toBe('unknown-stream');
    expect(wrong.text).toContain('Streams: demo');
    const bound = await runCommand(ctx, 'bind demo');
    expect(bound.text).toContain('now follows the value stream demo');
    expect(bound.ephemeral).toBeUndefined();
  });

  it('help lists every command with an example; an unknown word says so', async () => {
    const help = await runCommand(ctx, '');
    expect(help.sections!.map((section) => section.title)).toEqual(['Metrics', 'XmR and forecast', 'Outcomes and experiments', 'Check-in and setup']);
    const listed = help.sections!.map((section) => section.text).join('\n');
    for (const word of ['checkin', 'owner', 'bind', 'streams', 'leadtime', 'cycletime', 'throughput', 'wip', 'aging', 'efficiency', 'stages', 'distribution', 'cfd', 'xmr', 'forecast', 'event', 'outcome', 'ffr', 'experiment']) {
      expect(listed).toContain(`/flow ${word}`);
    }
    expect((await runCommand(ctx, 'velocity')).text).toContain('"velocity" is not a /flow command');
  });

  it('leadtime and cycletime give the percentiles the core computes over the period', async () => {
    const items = (await loadWorkItems(store.db, streamId)).filter((i) => !i.isEpic); // epics are containers, not flow items
    const window = { from: NOW - 30 * DAY, to: NOW + 1 };
    const lead = leadTime(items, DEMO_MAP, window).percentiles!;
    const reply = await runCommand(ctx, 'leadtime 30d');
    expect(reply.text).toContain(`85% of the ${leadTime(items, DEMO_MAP, window).count} items finished took ${lead['85']} days or less`);
    expect(reply.sections![0]!.fields!.map((f) => f.value)).toEqual([`≤ ${lead['50']} days`, `≤ ${lead['70']} days`, `≤ ${lead['85']} days`, `≤ ${lead['95']} days`]);
    expect(reply.chart?.kind).toBe('scatter');
    expect(reply.chart?.summary).toContain(`85% of the ${leadTime(items, DEMO_MAP, window).count} items finished`);
    expect(reply.chart?.png.subarray(0, 4)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    expect(reply.chart?.filename).toBe('demo-leadtime.png');

    const cycleWindow = { from: NOW - 84 * DAY, to: NOW + 1 };
    const cycle = cycleTime(items, DEMO_MAP, cycleWindow);
    const cycleReply = await runCommand(ctx, 'cycletime 12w');
    expect(cycleReply.text).toContain(`85% of the ${cycle.count} items finished took ${cycle.percentiles!['85']} days`);
    expect(cycleReply.chart?.kind).toBe('scatter');
    expect(cycleReply.chart?.summary).toContain(`${cycle.percentiles!['85']}`);
  });

  it('throughput, wip, aging, efficiency, distribution and cfd answer with their numbers', async () => {
    const items = (await loadWorkItems(store.db, streamId)).filter((i) => !i.isEpic); // epics are containers, not flow items
    const total = throughput(items, DEMO_MAP, { from: NOW - 90 * DAY, to: NOW + 1 }).total;
    const answer = await runCommand(ctx, 'throughput');
    // the message says the whole weeks the chart draws; the whole period's total is a field
    expect(answer.sections?.[0]?.fields).toContainEqual({ label: 'In the whole period', value: String(total) });
    expect(answer.text).toMatch(/: \d+ items finished in 12 whole weeks, [\d.]+ a week on average\.$/);
    // NOW is Tuesday of 2026-W48: the week so far is a field, the chart draws whole weeks only
    expect(answer.sections?.[0]?.fields?.map((f) => f.label)).toContain('This week so far');
    expect(answer.chart?.summary).toContain('latest week 2026-W47');
    expect((await runCommand(ctx, 'wip 30d')).text).toMatch(/\d+ items in progress now/);
    const aging = await runCommand(ctx, 'aging');
    expect(aging.text).toMatch(/\d+ items in progress; \d+ older than 85% of recent cycle times/);
    expect(aging.sections?.[0]?.text).not.toMatch(/DEMO-E\d/); // epics are not aging work items
    expect((await runCommand(ctx, 'efficiency 30d')).text).toMatch(/\d+% of the lead time of the \d+ items finished was work/);
    expect((await runCommand(ctx, 'distribution 12w')).text).toMatch(/\d+% features, \d+% defects, \d+% risks, \d+% debt/);
    expect((await runCommand(ctx, 'cfd since 2026-09-01')).text).toMatch(/since 2026-09-01: \d+ items arrived and \d+ finished/);
  });

  it('answers each metric with its chart: a PNG and a one-line summary', async () => {
    const expected: [string, string][] = [['throughput 12w', 'throughput'], ['wip', 'xmr'], ['aging', 'aging'], ['stages', 'stages'], ['distribution', 'distribution'], ['cfd 30d', 'cfd'], ['xmr cycletime', 'xmr'], ['forecast 14 days', 'forecast']];
    for (const [text, kind] of expected) {
      const reply = await runCommand(ctx, text);
      expect(reply.chart?.kind, text).toBe(kind);
      expect(reply.chart!.png.readUInt32BE(0), text).toBe(0x89504e47);
      expect(reply.chart!.summary.length, text).toBeGreaterThan(10);
    }
  });

  it('stages names the constraint the core finds', async () => {
    const items = (await loadWorkItems(store.db, streamId)).filter((i) => !i.isEpic); // epics are containers, not flow items
    const constraint = stageBreakdown(items, DEMO_MAP, { from: NOW - 30 * DAY, to: NOW + 1 }, NOW).constraint!;
    const reply = await runCommand(ctx, 'stages 30d');
    expect(reply.text).toContain(constraint.sentence);
    expect(reply.text).toContain('constraint');
  });

  it('xmr reads the whole history by default, phased at the logged policy change', async () => {
    const reply = await runCommand(ctx, 'xmr');
    expect(reply.text).toContain('Lead time XmR of demo, whole history');
    expect(reply.sections![0]!.fields!.find((f) => f.label === 'Points')!.value).toMatch(/in 2 phases/);
    expect((await runCommand(ctx, 'xmr throughput')).text).toContain('Weekly throughput XmR');
    expect((await runCommand(ctx, 'xmr wip 12w')).text).toContain('Weekly WIP XmR of demo, last 12 weeks');
  });

  it('forecasts when N items are done and how many in N days, the same answer twice in a day', async () => {
    const when = await runCommand(ctx, 'forecast 30 items');
    expect(when.text).toMatch(/30 more items will be done by 2026-\d\d-\d\d with 85% confidence \(\d+ days\)/);
    expect(await runCommand(ctx, 'forecast 30 items')).toEqual(when);
    const howMany = await runCommand(ctx, 'forecast 14 days');
    const [p50, p85, p95] = howMany.sections![0]!.fields!.map((f) => Number(f.value.split(' ')[0]));
    expect(p50).toBeGreaterThanOrEqual(p85!);
    expect(p85).toBeGreaterThanOrEqual(p95!);
  });

  it('logs an event today and lists it; with no text it asks for the form', async () => {
    const reply = await runCommand(ctx, 'event Pairing on every review');
    expect(reply.text).toContain('Logged for demo on 2026-11-24');
    const events = await listFlowEvents(store.db, streamId);
    expect(events.at(-1)).toEqual({ at: NOW, text: 'Pairing on every review', kind: 'policy' });
    const list = await runCommand(ctx, 'event list');
    expect(list.sections![0]!.text!.split('\n')[0]).toBe('2026-11-24 — Pairing on every review');
    const form = await runCommand(ctx, 'event');
    expect(form.form).toEqual({ kind: 'event-form' });
    expect(form.buttons?.[0]?.opens).toBe('event-form');
  });

  it('records an anticipated outcome of an epic, which lowers the FFR; refuses non-epics', async () => {
    const before = featureFactoryRatio(await loadWorkItems(store.db, streamId));
    const epic = before.missing[0]!.key;
    const ffr = await runCommand(ctx, 'ffr');
    expect(ffr.text).toContain(`${Math.round(before.ratio!)}% — ${before.withoutOutcome} of ${before.epics} epics`);
    expect(ffr.sections![0]!.text).toContain(epic);

    const saved = await runCommand(ctx, `outcome ${epic} Checkout abandonment below 20% by March`);
    expect(saved.text).toContain(`Anticipated outcome of ${epic}`);
    expect((await getWorkItem(store.db, streamId, epic))!.anticipatedOutcome).toBe('Checkout abandonment below 20% by March');
    expect((await runCommand(ctx, 'ffr')).text).toContain(`${before.withoutOutcome - 1} of ${before.epics} epics`);

    const notEpic = await runCommand(ctx, 'outcome DEMO-1 Something better for users');
    expect(notEpic.error?.code).toBe('bad-epic');
    expect(notEpic.text).toContain('is not an epic');
    expect((await runCommand(ctx, 'outcome NOPE-1 Something better')).text).toContain('has no item NOPE-1');
    expect((await runCommand(ctx, `outcome ${epic}`)).form).toEqual({ kind: 'outcome-form', prefill: { epic } });
  });

  it('routes checkin and owner to the nudges (a mention names the owner to ask, it is no per-person metric)', async () => {
    const checkin = await runCommand(ctx, 'checkin monday 09:30 Europe/Berlin');
    expect(checkin.text).toMatch(/check-in/i);
    expect(checkin.error).toBeUndefined();
    const owner = await runCommand(ctx, 'owner ana@example.com <@U0ANA>');
    expect(owner.error).toBeUndefined();
    // the answer names the person as a mention each platform renders its own way
    expect(owner.text).toContain('direct message to @U0ANA here');
    expect(owner.mentions).toEqual([{ userId: 'U0ANA', name: 'U0ANA' }]);
    expect((await runCommand(ctx, 'owner nobody')).error?.code).toBe('bad-owner');
  });

  it('runs one experiment at a time: start (logged as an event), status, a second start refused, end', async () => {
    const started = await runCommand(ctx, 'experiment start WIP limit 2 in Testing | measure cycletime | review 2026-12-22 | owner team lead');
    expect(started.text).toContain('Experiment started for demo: "WIP limit 2 in Testing"');
    const open = await getOpenExperiment(store.db, streamId);
    expect(open).toMatchObject({ policy: 'WIP limit 2 in Testing', measure: 'cycletime', reviewOn: '2026-12-22', ownerRole: 'team lead', state: 'open', startedAt: NOW });
    expect((await listFlowEvents(store.db, streamId)).some((e) => e.kind === 'experiment' && e.text.includes('WIP limit 2 in Testing'))).toBe(true);

    const status = await runCommand(ctx, 'experiment status');
    expect(status.sections![0]!.fields).toContainEqual({ label: 'Review on', value: '2026-12-22' });
    const second = await runCommand(ctx, 'experiment start Another policy');
    expect(second.error?.code).toBe('experiment-open');
    expect((await runCommand(ctx, 'experiment start Late | review 2026-11-01')).error?.code).toBe('bad-review-date');

    expect((await runCommand(ctx, 'experiment end')).text).toContain('ended for demo');
    expect(await getOpenExperiment(store.db, streamId)).toBeNull();
    expect((await runCommand(ctx, 'experiment end')).error?.code).toBe('no-experiment');
    expect((await runCommand(ctx, 'experiment status')).text).toContain('runs no experiment');
  });
});
