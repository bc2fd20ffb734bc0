/**
 * The pure decisions of the signal alert (the same the simulation runs): lead time read on the
 * log scale, only a run of 8 posts, one alert per episode, and the quiet while the news keeps coming.
 */
import { describe, expect, it } from 'vitest';
import { xmr, type XmrRule } from '../../src/core/index.ts';
import { alertableSignals, decideSignals, SIGNAL_QUIET_DAYS, SIGNAL_SLOWDOWN_QUIET_DAYS, type SignalMemory } from '../../src/nudges/signal-alert.ts';
import { geometricXmr, seriesResult, watchedSeries, type WatchedSeries } from '../../src/nudges/signal-series.ts';
import { historyAsOf, replayStart } from '../../src/chat/playground/replay-signals.ts';
import { generateDemoStream } from '../../src/demo/demo-stream.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 8, 1, 12);

/** Replays a lead-time series one finished item a day, checking after each; returns the posts. */
function replay(values: number[], quietDays = SIGNAL_QUIET_DAYS, postRules?: XmrRule[]): { day: number; identity: string }[] {
  const memory: SignalMemory = { first: false, known: [] };
  const posts: { day: number; identity: string }[] = [];
  for (let n = 1; n <= values.length; n++) {
    const series = { values: values.slice(0, n), labels: values.slice(0, n).map((_, i) => `S-${i}`), ats: values.slice(0, n).map((_, i) => T0 + i * DAY) };
    const watched: WatchedSeries[] = [{ kind: 'leadtime', series, result: seriesResult('leadtime', series, []) }];
    const now = series.ats[n - 1]!;
    const decision = decideSignals(alertableSignals(watched, 'UTC', now), memory, now, quietDays, postRules);
    for (const s of decision.seen) memory.known.push({ identity: s.identity, kind: 'signal-seen', sentAt: now });
    for (const p of decision.posts) {
      for (const s of [p.headline, ...p.others]) memory.known.push({ identity: s.identity, kind: 'signal', sentAt: now });
      posts.push({ day: n - 1, identity: p.headline.identity });
    }
  }
  return posts;
}

const baseline = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 8 : 12));
const around = (n: number) => Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 8 : 12));
const low = (n: number) => Array.from({ length: n }, () => 7);
const high = (n: number) => Array.from({ length: n }, () => 14);
const same = (n: number, v: number) => Array.from({ length: n }, () => v);

describe('geometricXmr', () => {
  it('runs the rules on the logs and reports the centre and limits back in days', () => {
    const values = [...baseline, 7, 7, 7, 7, 7, 7, 7, 7, 40];
    const r = geometricXmr(values);
    const logs = xmr(values.map(Math.log));
    expect(r.signals).toEqual(logs.signals);
    expect(r.phases[0]!.center).toBeCloseTo(Math.sqrt(8 * 12), 9); // geometric mean
    expect(r.phases[0]!.unpl).toBeCloseTo(Math.exp(logs.phases[0]!.unpl), 9);
    expect(r.phases[0]!.lnpl).toBeCloseTo(Math.exp(logs.phases[0]!.lnpl), 9);
    expect(r.points.map((p) => p.value)).toEqual(values);
    expect(r.points[1]!.mr).toBe(4);
    expect(r.phases[0]!.mrCenter).toBe(4);
    expect(r.signals.map((s) => [s.rule, s.side])).toEqual([
      ['run-of-8', 'below'],
      ['beyond-limits', 'above'],
    ]);
  });

  it('does not call the slow tail of a skewed process a signal, where the plain scale does', () => {
    // quick items and the odd slow one, as lead times are
    const values = [3, 4, 2, 5, 3, 9, 4, 3, 2, 6, 3, 4, 2, 3, 12, 4, 3, 5, 2, 4, 3, 16, 4, 2];
    expect(xmr(values).signals.filter((s) => s.rule === 'beyond-limits').map((s) => values[s.points[0]!])).toEqual([16]);
    expect(geometricXmr(values).signals.filter((s) => s.rule === 'beyond-limits')).toEqual([]);
  });
});

describe('decideSignals', () => {
  it('posts a run of 8 once, however long it grows', () => {
    const posts = replay([...baseline, ...low(14), ...around(6)]);
    expect(posts).toEqual([{ day: 27, identity: 'leadtime:p0:below:run-of-8:S-20' }]);
  });

  it('records a single point beyond a limit (and 3 of 4) without posting: the aging alert tells of slow items', () => {
    const values = [...baseline, 40, ...around(6), 25, 25, 12, 25, ...around(6)];
    expect(replay(values)).toEqual([]);
    // the signals are there: with every rule posting and no quiet period, both would have been alerts
    expect(replay(values, 0, ['beyond-limits', 'run-of-8', '3-of-4']).map((p) => p.identity)).toEqual([
      'leadtime:p0:above:beyond-limits:S-20',
      'leadtime:p0:above:3-of-4:S-27',
    ]);
  });

  it('stays quiet while runs on the same side keep coming, and speaks again after a gap', () => {
    const values = [...baseline, ...low(8), 12, ...low(9), ...around(2 * SIGNAL_QUIET_DAYS), ...low(8)];
    const posts = replay(values);
    // the second run starts a day after the first ends: the same news; the third after a gap
    expect(posts.map((p) => p.identity)).toEqual(['leadtime:p0:below:run-of-8:S-20', `leadtime:p0:below:run-of-8:S-${20 + 18 + 2 * SIGNAL_QUIET_DAYS}`]);
  });

  it('posts a new slowdown sooner: a run above is quiet only within a few days of the last', () => {
    const gapDays = SIGNAL_SLOWDOWN_QUIET_DAYS + 2;
    expect(gapDays).toBeLessThan(SIGNAL_QUIET_DAYS);
    // faster: the second run below starts 5 days after the first ends — the same news
    expect(replay([...baseline, ...low(8), ...same(gapDays - 1, 12), ...low(8)]).map((p) => p.identity)).toEqual(['leadtime:p0:below:run-of-8:S-20']);
    // slower: the same gap above — posted again
    // (the baseline's last point, 12, is above the centre too: the first run starts there)
    expect(replay([...baseline, ...high(8), ...same(gapDays - 1, 8), ...high(8)]).map((p) => p.identity)).toEqual([
      'leadtime:p0:above:run-of-8:S-19',
      `leadtime:p0:above:run-of-8:S-${28 + gapDays - 1}`,
    ]);
  });

  it('tells a shift once while the process stays on that side: runs broken by a stray point are one episode', () => {
    // below, below, below for 33 points: two runs of 8 and three stretches of 7 broken by single points above
    const stretch = [12, ...low(7)];
    const values = [...baseline, ...low(8), ...stretch, ...stretch, ...stretch, 12, ...low(8)];
    expect(seriesResult('leadtime', { values, labels: values.map((_, i) => `S-${i}`), ats: values.map((_, i) => T0 + i * DAY) }, []).signals
      .filter((s) => s.rule === 'run-of-8').map((s) => s.points[0])).toEqual([20, 53]);
    expect(replay(values).map((p) => p.identity)).toEqual(['leadtime:p0:below:run-of-8:S-20']);
    // back at the centre in between (alternating around it), the second run is news again
    const back = [...baseline, ...low(8), ...around(26), ...low(8)];
    expect(replay(back).map((p) => p.identity)).toEqual(['leadtime:p0:below:run-of-8:S-20', 'leadtime:p0:below:run-of-8:S-54']);
  });

  it('replaying the demo history posts one lead-time alert about its policy change, not one per run', () => {
    const now = Date.UTC(2026, 11, 3, 6);
    const demo = generateDemoStream({ end: now });
    const history = { id: 1, name: demo.map.name, map: demo.map, items: demo.items, events: demo.events };
    const memory: SignalMemory = { first: true, known: [] };
    const told: string[] = [];
    for (let at = replayStart(history, now); ; at = Math.min(at + 7 * DAY, now)) {
      const past = historyAsOf(history, at);
      const decision = decideSignals(alertableSignals(watchedSeries(past.items, past.map, past.events, at), past.map.timeZone, at), memory, at);
      memory.first = false;
      for (const s of decision.seen) memory.known.push({ identity: s.identity, kind: 'signal-seen', sentAt: at });
      for (const p of decision.posts) {
        for (const s of [p.headline, ...p.others]) memory.known.push({ identity: s.identity, kind: 'signal', sentAt: at });
        told.push(p.headline.identity);
      }
      if (at === now) break;
    }
    // the runs below after the change (DEMO-447 … DEMO-527) are one episode: lead time stayed lower
    expect(told.filter((identity) => identity.startsWith('leadtime:e'))).toEqual([expect.stringMatching(/^leadtime:e\d+:below:run-of-8:/)]);
  });

  it('posts a run on the other side at once', () => {
    const posts = replay([...baseline, ...low(8), ...Array.from({ length: 8 }, () => 14)]);
    expect(posts.map((p) => p.identity)).toEqual(['leadtime:p0:below:run-of-8:S-20', 'leadtime:p0:above:run-of-8:S-28']);
  });
});
