/**
 * One reading of signals (issue 14, item 2; issue 15, item 5): on the demo stream, `/flow xmr`,
 * its chart, the weekly check-in and the signal alert read the same series the same way, so the
 * signals a team is told are the signals the alert logic considers, and the chart marks no
 * other point. WIP is read weekly wherever it has limits; a `baseline` event restarts limits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildChart } from '../../src/charts/index.ts';
import { runCommand, type CommandContext } from '../../src/commands/index.ts';
import { metricAnswer, xmrAnswer } from '../../src/commands/metric-answers.ts';
import { loadStreamData } from '../../src/commands/stream-data.ts';
import type { BoundStream } from '../../src/commands/context.ts';
import { buildTimelines, firstCompletionOf, isoWeek, localDate, type XmrResult, type XmrSignal } from '../../src/core/index.ts';
import { loadDemo } from '../../src/demo/load-demo.ts';
import { buildCheckinAgenda } from '../../src/nudges/checkin-agenda.ts';
import { alertableSignals } from '../../src/nudges/signal-alert.ts';
import { watchedSeries } from '../../src/nudges/signal-series.ts';
import { formatShortDate } from '../../src/nudges/signal-words.ts';
import { getBinding } from '../../src/store/channel-bindings.ts';
import type { Store } from '../../src/store/database.ts';
import { listFlowEvents } from '../../src/store/flow-events.ts';
import { loadStreamHistory, type StreamHistory } from '../../src/store/stream-history.ts';
import { getStream } from '../../src/store/value-streams.ts';
import { openTestStore } from '../support/databases.ts';
import { useChartRenderer } from '../support/chart-renderer.ts';

const charts = useChartRenderer();

const NOW = Date.UTC(2026, 11, 3, 6);
const DAY = 86_400_000;

/** rule, side and the label of the first point: what a signal is, wherever it is told */
const identities = (result: XmrResult, signals: readonly XmrSignal[] = result.signals): string[] =>
  signals.map((s) => `${s.rule}:${s.side}:${result.points[s.points[0]!]!.label}`).sort();
const markedLabels = (result: XmrResult): string[] => result.points.filter((p) => p.rules.length > 0).map((p) => p.label!).sort();

describe('one reading of the demo stream\'s XmR signals', () => {
  let store: Store;
  let ctx: CommandContext;
  let stream: BoundStream;
  let history: StreamHistory & { name: string };

  beforeAll(async () => {
    store = await openTestStore('sqlite');
    await loadDemo(store, { now: NOW });
    ctx = { store, charts, platform: 'slack', channelId: 'C-FLOW', teamId: 'T1', userId: 'U1', now: NOW };
    await runCommand(ctx, 'bind demo');
    const stored = (await getStream(store.db, 'demo'))!;
    stream = { binding: (await getBinding(store.db, 'slack', 'C-FLOW'))!, streamId: stored.id, name: 'demo', map: stored.map };
    history = { ...(await loadStreamHistory(store, 'demo'))!, name: 'demo' };
  });
  afterAll(async () => {
    await store?.close();
  });

  it('/flow xmr leadtime tells the current phase\'s signals the alert logic reads, and its chart marks only their points', async () => {
    const watched = watchedSeries(history.items, history.map, history.events, NOW);
    const lead = watched.find((w) => w.kind === 'leadtime')!;
    const current = lead.result.phases.at(-1)!;
    const alertLogic = alertableSignals(watched, history.map.timeZone, NOW).filter((s) => s.series === 'leadtime' && s.signal.phase === current.index);
    // the demo after its policy change: lead time stays below its average (runs of 8), one item below the lower limit
    expect(alertLogic.map((s) => s.signal.rule)).toContain('run-of-8');

    const answer = xmrAnswer(await loadStreamData(ctx, stream, undefined, 'all'), 'leadtime');
    if (answer.chart.kind !== 'xmr') throw new Error('the xmr answer draws an XmR chart');
    const shown = answer.chart.input.result;
    expect(identities(shown)).toEqual(identities(lead.result, alertLogic.map((s) => s.signal)));
    // the chart marks exactly the points of those signals, nothing from earlier phases
    expect(markedLabels(shown)).toEqual([...new Set(alertLogic.flatMap((s) => s.facts.labels))].sort());
    const built = buildChart('xmr', { ...answer.chart.input, context: { stream: 'demo', periodLabel: 'whole history', from: NOW - 500 * DAY, to: NOW + 1, timeZone: 'Europe/Berlin' } });
    const layers = (built.spec as { vconcat: { layer: { mark: { type: string }; data: { values: unknown[] } }[] }[] }).vconcat.flatMap((panel) => panel.layer);
    const marked = layers.filter((l) => l.mark.type === 'point').flatMap((l) => l.data.values);
    expect(marked.length).toBe(markedLabels(shown).length);

    // the words: which signals, since when, and in the current phase, not a total over the history
    const runs = alertLogic.filter((s) => s.signal.rule === 'run-of-8').length;
    const beyond = alertLogic.filter((s) => s.signal.rule === 'beyond-limits').length;
    const since = Math.min(...alertLogic.map((s) => s.facts.ats[0]!));
    const reply = await runCommand(ctx, 'xmr leadtime');
    expect(reply.text).toBe(answer.text);
    expect(reply.text).toContain("since the policy change 'WIP limit 3 in Code review'");
    expect(reply.text).toContain(`below the average of ${Math.round(current.center * 10) / 10} days (geometric mean) since ${formatShortDate(since, 'Europe/Berlin', NOW)}`);
    expect(reply.text).toContain(`${runs} runs of 8 or more finished items in a row`);
    expect(reply.text).toContain(`${beyond} finished item${beyond === 1 ? '' : 's'} below the lower limit`);
    expect(reply.text).not.toMatch(/\d{2,} signals/);
    expect(reply.sections!.map((s) => s.text ?? '').join('\n')).toContain('log scale');
  });

  it('the weekly check-in tells the same current-phase signals in the same words', async () => {
    const answer = xmrAnswer(await loadStreamData(ctx, stream, undefined, 'all'), 'leadtime');
    const agenda = await buildCheckinAgenda({ store, charts: null }, history, NOW);
    const signals = agenda.sections!.find((s) => s.title?.startsWith('Signals since last week'))!;
    const line = answer.text.replace(/^Lead time XmR of demo, whole history\. /, '').replace(/ What changed\?$/, '');
    expect(signals.text).toContain(`Where it stands: ${line}`);
  });

  it('forecasts carry the stability verdict of weekly throughput, in chat and in the check-in', async () => {
    const verdict = 'Throughput has been predictable for the last 12 weeks (no signal).';
    const forecast = await runCommand(ctx, 'forecast 30 items');
    // the days resampled are said with the items finished in them (issue 15, item 4)
    expect(forecast.text).toMatch(/from the \d+ items finished in the 90 full days before today\. /);
    expect(forecast.text).toContain(`full days before today. ${verdict}`);
    const agenda = await buildCheckinAgenda({ store, charts: null }, history, NOW);
    expect(agenda.sections![0]!.text).toContain(`Forecasts: ${verdict}`);
  });

  it('raw days on request: /flow xmr leadtime raw reads plain days and says so', async () => {
    const raw = await runCommand(ctx, 'xmr leadtime raw');
    expect(raw.text).not.toContain('geometric mean');
    expect(raw.sections!.map((s) => s.text ?? '').join('\n')).toContain('raw days');
    expect((await runCommand(ctx, 'xmr wip raw')).error?.code).toBe('invalid-command');
  });

  it('WIP is read weekly wherever it has limits: /flow xmr wip and the chart of /flow wip 30d', async () => {
    const data = await loadStreamData(ctx, stream, undefined, 'all');
    const xmrWip = xmrAnswer(data, 'wip');
    if (xmrWip.chart.kind !== 'xmr') throw new Error('an XmR chart');
    const points = xmrWip.chart.input.result.points;
    expect(points.every((p) => /^\d{4}-W\d\d$/.test(p.label!))).toBe(true);
    expect(points.length).toBeGreaterThan(50);
    expect(points.length).toBeLessThan(62);
    // the alert logic's weekly WIP, point for point
    const alertWip = watchedSeries(history.items, history.map, history.events, NOW).find((w) => w.kind === 'wip')!;
    expect(points.map((p) => p.value)).toEqual(alertWip.series.values);
    expect(points.filter((p) => p.rules.length > 0).length).toBeLessThanOrEqual(points.length / 5);

    const wip30 = metricAnswer('wip', await loadStreamData(ctx, stream, { kind: 'last', days: 30, label: 'last 30 days' }));
    if (wip30.chart.kind !== 'xmr') throw new Error('an XmR chart');
    expect(wip30.chart.input.result.points.every((p) => /^\d{4}-W\d\d$/.test(p.label!))).toBe(true);
    expect(wip30.chart.input.result.points.length).toBeGreaterThanOrEqual(12);
    expect(wip30.chart.context?.periodLabel).toBe('last 12 weeks, end of each week');
  });

  it('/flow throughput colours its weeks by the same weekly reading: the limits of the whole history\'s current phase', async () => {
    const answer = metricAnswer('throughput', await loadStreamData(ctx, stream, undefined));
    if (answer.chart.kind !== 'throughput') throw new Error('a throughput chart');
    const { report, xmr } = answer.chart.input;
    const alertThroughput = watchedSeries(history.items, history.map, history.events, NOW).find((w) => w.kind === 'throughput')!;
    const current = alertThroughput.result.phases.at(-1)!;
    expect(xmr.points.map((p) => p.label)).toEqual(report.perWeek.map((w) => w.week));
    expect(xmr.phases.at(-1)).toMatchObject({ center: current.center, unpl: current.unpl, baselineCount: current.baselineCount });
  });

  it('weekly series start with the week of the stream\'s first completion: the ramp-up weeks give no baseline', async () => {
    const first = firstCompletionOf(buildTimelines(history.items.filter((i) => !i.isEpic), history.map))!;
    const week = isoWeek(localDate(first, 'Europe/Berlin'));
    // the history starts two weeks before its first completion: those weeks are the ramp-up from nothing
    expect(Math.min(...history.items.map((i) => i.createdAt))).toBeLessThan(first - 14 * DAY);
    const data = await loadStreamData(ctx, stream, undefined, 'all');
    for (const series of ['throughput', 'wip'] as const) {
      const answer = xmrAnswer(data, series);
      if (answer.chart.kind !== 'xmr') throw new Error('an XmR chart');
      const [p0] = answer.chart.input.result.points;
      expect(p0!.label, series).toBe(week);
      expect(p0!.value, series).toBeGreaterThan(0);
    }
  });

  it('a baseline event restarts the limits without a policy change, and says so', async () => {
    const before = xmrAnswer(await loadStreamData(ctx, stream, undefined, 'all'), 'leadtime');
    expect(before.text).toContain("since the policy change 'WIP limit 3 in Code review'");
    const reply = await runCommand(ctx, 'baseline lead time settled after the WIP limit');
    expect(reply.text).toMatch(/^Limits restarted for demo on 2026-12-03 \("lead time settled after the WIP limit"\): every XmR chart starts a new phase here/);
    const events = await listFlowEvents(store.db, stream.streamId);
    expect(events.at(-1)).toMatchObject({ kind: 'baseline', text: 'lead time settled after the WIP limit', at: NOW });
    expect((await runCommand(ctx, 'event list')).sections![0]!.text).toContain('lead time settled after the WIP limit (baseline)');

    // a date that is not one, or after today: refused with the reason, nothing stored
    expect((await runCommand(ctx, 'baseline 2026-02-30 x')).text).toContain('"2026-02-30" is not a date');
    const future = await runCommand(ctx, 'baseline 2026-12-24 x');
    expect(future.error?.code).toBe('bad-date');
    expect(future.text).toContain('2026-12-24 is after today (2026-12-03)');
    expect((await listFlowEvents(store.db, stream.streamId)).length).toBe(events.length);

    // dated back (CLI: event add --kind baseline --at 2026-10-19): the limits come from the 20 items finished after it
    const at = Date.UTC(2026, 9, 18, 22); // 2026-10-19 00:00 in Berlin
    expect((await runCommand(ctx, 'baseline 2026-10-19 stable since the WIP limit')).text).toMatch(/^Limits restarted for demo on 2026-10-19 \("stable since the WIP limit"\)/);
    expect((await listFlowEvents(store.db, stream.streamId)).find((e) => e.text === 'stable since the WIP limit')).toMatchObject({ at, kind: 'baseline' });
    const data = await loadStreamData(ctx, stream, undefined, 'all');
    const after = xmrAnswer(data, 'leadtime');
    if (after.chart.kind !== 'xmr') throw new Error('an XmR chart');
    const phase = after.chart.input.result.phases.at(-1)!;
    expect(after.chart.input.result.phases.length).toBe(3);
    expect(phase.event).toMatchObject({ kind: 'baseline', text: 'stable since the WIP limit' });
    expect(after.chart.input.result.points[phase.startIndex]!.at).toBeGreaterThanOrEqual(at);
    expect(phase.baselineCount).toBe(20);
    expect(after.text).toContain("Lead time since the limits were restarted on 19 Oct ('stable since the WIP limit')");
    expect(after.chart.input.result.signals.every((s) => s.phase === phase.index)).toBe(true);

    // a restart a few days ago: its phase has no limits yet, so the answer says so and the chart marks nothing
    await runCommand(ctx, 'baseline 2026-11-30 after the reorg');
    const fresh = xmrAnswer(await loadStreamData(ctx, stream, undefined, 'all'), 'leadtime');
    expect(fresh.text).toMatch(/Lead time since the limits were restarted on 30 Nov \('after the reorg'\): \d finished items? so far; limits need at least 6, and signals are read from 20\./);
    if (fresh.chart.kind !== 'xmr') throw new Error('an XmR chart');
    expect(fresh.chart.input.result.points.filter((p) => p.rules.length > 0)).toEqual([]);

  });
});
