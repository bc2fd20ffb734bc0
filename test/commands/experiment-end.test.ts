/**
 * `/flow experiment end` on the demo stream answers with the numbers: the limits before the
 * change and since (computed here by hand from the series), their points, the signal, the verdict.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand, type CommandContext } from '../../src/commands/index.ts';
import { buildTimelines, getZoneCalendar, xmrSeriesOf, type XmrKind } from '../../src/core/index.ts';
import { loadDemo } from '../../src/demo/load-demo.ts';
import type { Store } from '../../src/store/database.ts';
import { startExperiment } from '../../src/store/experiments.ts';
import { listFlowEvents } from '../../src/store/flow-events.ts';
import { loadStreamHistory } from '../../src/store/stream-history.ts';
import { openTestStore, testDialects } from '../support/databases.ts';
import { useChartRenderer } from '../support/chart-renderer.ts';

const charts = useChartRenderer();

const NOW = Date.UTC(2026, 10, 24, 12);
const DAY = 86_400_000;

/** Limits by the definition: centre = mean of the first 20 points, limits = centre ± 2.66 × mean moving range (on the logs for lead time). */
function handLimits(values: number[], log: boolean): { center: number; unpl: number; lnpl: number } {
  const x = values.slice(0, 20).map((v) => (log ? Math.log(Math.max(v, 0.5)) : v));
  const mean = x.reduce((a, b) => a + b, 0) / x.length;
  let mr = 0;
  for (let i = 1; i < x.length; i++) mr += Math.abs(x[i]! - x[i - 1]!);
  mr /= x.length - 1;
  const back = (v: number) => (log ? Math.exp(v) : v);
  return { center: back(mean), unpl: back(mean + 2.66 * mr), lnpl: back(mean - 2.66 * mr) };
}
const geometricMean = (values: number[]) => Math.exp(values.reduce((sum, v) => sum + Math.log(Math.max(v, 0.5)), 0) / values.length);
const one = (v: number) => {
  const r = Math.round(v * 10) / 10;
  return Number.isInteger(r) ? String(r) : r.toFixed(1);
};
const words = (l: { center: number; unpl: number; lnpl: number }, unit: string, n: number) => `average ${one(l.center)} ${unit}, limits ${one(Math.max(0, l.lnpl))}–${one(l.unpl)} (${n} points)`;

describe.each(testDialects())('/flow experiment end on the demo stream (%s)', (dialect) => {
  let store: Store;
  let ctx: CommandContext;
  let streamId: number;

  beforeAll(async () => {
    store = await openTestStore(dialect);
    streamId = (await loadDemo(store, { now: NOW })).streamId;
    ctx = { store, charts, platform: 'slack', channelId: 'C-EXP', teamId: 'T1', userId: 'U1', now: NOW };
    await runCommand(ctx, 'bind demo');
  });
  afterAll(async () => {
    await store.close();
  });

  async function series(kind: XmrKind) {
    const history = (await loadStreamHistory(store, 'demo'))!;
    const flow = history.items.filter((i) => !i.isEpic);
    const first = Math.min(...flow.map((i) => i.createdAt));
    return xmrSeriesOf(kind, buildTimelines(flow, history.map), history.map, { from: first, to: NOW + 1 });
  }

  it('the WIP limit as an experiment on lead time: limits before and since, the signal, moved the right way', async () => {
    const policy = (await listFlowEvents(store.db, streamId)).find((e) => e.kind === 'policy')!;
    await startExperiment(store.db, { streamId, policy: 'WIP limit 3 in Code review', measure: 'leadtime', startedAt: policy.at });
    const reply = await runCommand(ctx, 'experiment end');

    const s = await series('leadtime');
    const sinceStart = s.ats.findIndex((at) => at >= policy.at);
    const before = s.values.slice(0, sinceStart);
    const since = s.values.slice(sinceStart);
    const b = handLimits(before, true);
    const a = handLimits(since, true);
    expect(since.length).toBeGreaterThan(20);
    expect(reply.text).toMatch(/^Experiment "WIP limit 3 in Code review" ended for demo \(since 25 Aug, measure: leadtime\)\. It moved the right way: lead time lower than routine variation before the change allows \(lower is better\) — below: [^;]+ \((\d+) points\); above: [^;]+ \((\d+) points\)\. /);
    // more points since in signals below than above; by hand, the points since beyond each limit of before
    const [, below, above] = /below: [^;]+ \((\d+) points\); above: [^;]+ \((\d+) points\)/.exec(reply.text)!.map(Number);
    expect(below).toBeGreaterThan(above!);
    const beyondBelow = since.filter((v) => v < b.lnpl).length;
    const beyondAbove = since.filter((v) => v > b.unpl).length;
    expect(below).toBeGreaterThanOrEqual(beyondBelow);
    expect(above).toBeGreaterThanOrEqual(beyondAbove);
    expect(beyondBelow).toBeGreaterThan(0);
    expect(reply.text).toContain(
      `Lead time averages ${one(geometricMean(since))} days over the ${since.length} points since, against ${one(geometricMean(before))} over the ${before.length} before (geometric means). Keep the policy.`,
    );
    const fields = reply.sections![0]!.fields!;
    expect(fields).toEqual([
      { label: 'Before (Lead time)', value: words(b, 'days', before.length) },
      { label: 'Since 25 Aug', value: words(a, 'days', since.length) },
      { label: 'Signal since the change', value: expect.stringMatching(/^below: .*Run of 8 on one side.*; above: .*, against the limits before$/) },
    ]);
    // the lower centre since is below the lower limit of before: a real move, not noise
    expect(a.center).toBeLessThan(b.center);
    expect((await runCommand(ctx, 'experiment end')).error?.code).toBe('no-experiment');
  });

  it('an experiment on throughput started yesterday: no week since yet, 6 more needed and when', async () => {
    const started = await runCommand({ ...ctx, now: NOW - DAY }, 'experiment start Pair on reviews an hour a day | measure throughput');
    expect(started.text).toContain('Experiment started for demo');
    const reply = await runCommand(ctx, 'experiment end');

    // weekly throughput: the phase before is the one the WIP limit opened (weeks from the first Monday after 25 Aug)
    const policy = (await listFlowEvents(store.db, streamId)).find((e) => e.kind === 'policy')!;
    const s = await series('throughput');
    const from = s.ats.findIndex((at) => at >= policy.at);
    const weeks = s.values.slice(from);
    const b = handLimits(weeks, false);
    // the last whole week is that of Monday 16 Nov; the 6th week after it ends Monday 4 Jan 2027
    const calendar = getZoneCalendar('Europe/Berlin');
    expect(calendar.date(s.ats.at(-1)!)).toBe('2026-11-16');
    expect(reply.text).toContain('(since 23 Nov, measure: throughput).');
    expect(reply.text).toContain('The phase since has 0 points: 6 more weeks are needed for limits of its own, likely by 4 Jan 2027.');
    expect(reply.text).toMatch(/Not beyond noise yet: the 0 points since the change stay within the limits of before/);
    expect(reply.sections![0]!.fields).toEqual([
      { label: 'Before (Weekly throughput)', value: words(b, 'items', weeks.length) },
      { label: 'Since 23 Nov', value: '0 points: 6 more needed for limits (likely by 4 Jan 2027)' },
      { label: 'Signal since the change', value: 'none: within the limits of before (routine variation)' },
    ]);
  });
});
