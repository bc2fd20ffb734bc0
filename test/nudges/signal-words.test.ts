/** One sentence per XmR rule, in the words of the issue. */
import { describe, expect, it } from 'vitest';
import type { XmrPhase } from '../../src/core/types.ts';
import { beyondLimitsSentence, phaseWords, runOfEightSentence, signalPointsLine, threeOfFourSentence, type SignalFacts } from '../../src/nudges/signal-words.ts';

const zone = 'Europe/Berlin';
const now = Date.parse('2026-11-20T10:00:00Z');
const policy = { at: Date.parse('2026-11-02T08:00:00Z'), text: 'WIP limit 3', kind: 'policy' };
const phase: XmrPhase = { index: 1, startIndex: 20, endIndex: 45, event: policy, center: 6.2, mrCenter: 2, unpl: 11.52, lnpl: 0.88, mrUrl: 6.5, baselineCount: 20 };
const ats = (n: number) => Array.from({ length: n }, (_, i) => Date.parse('2026-11-03T12:00:00Z') + i * 86_400_000);
const facts = (over: Partial<SignalFacts>): SignalFacts => ({
  series: 'leadtime',
  signal: { rule: 'run-of-8', side: 'above', phase: 1, points: [30, 31, 32, 33, 34, 35, 36, 37] },
  phase,
  values: [7, 8, 9, 7, 8, 9, 10, 7],
  labels: ['A-1', 'A-2', 'A-3', 'A-4', 'A-5', 'A-6', 'A-7', 'A-8'],
  ats: ats(8),
  phaseFirstAt: ats(1)[0]!,
  timeZone: zone,
  now,
  ...over,
});

describe('signal sentences', () => {
  it('run of 8: the issue example, word for word', () => {
    expect(runOfEightSentence(facts({}))).toBe("Lead time: 8 finished items in a row above the average of 6.2 days (geometric mean) since the policy change 'WIP limit 3' on 2 Nov.");
  });

  it('beyond the limits, one per series', () => {
    const one = { signal: { rule: 'beyond-limits' as const, side: 'above' as const, phase: 1, points: [40] }, values: [14], labels: ['A-9'], ats: ats(1) };
    expect(beyondLimitsSentence(facts(one))).toBe("Lead time: A-9 took 14 days, above the upper limit of 11.5 days since the policy change 'WIP limit 3' on 2 Nov.");
    expect(beyondLimitsSentence(facts({ ...one, series: 'throughput', signal: { ...one.signal, side: 'below' }, values: [0], labels: ['2026-W46'] }))).toBe(
      "Weekly throughput: 0 items finished in week 2026-W46, below the lower limit of 0.9 items since the policy change 'WIP limit 3' on 2 Nov.",
    );
    expect(beyondLimitsSentence(facts({ ...one, series: 'wip', labels: ['2026-W46'] }))).toMatch(/^Work in progress \(end of week\): 14 items in progress at the end of week 2026-W46, above the upper limit of 11.5 items/);
  });

  it('3 of 4 near a limit', () => {
    const s = facts({ signal: { rule: '3-of-4', side: 'below', phase: 1, points: [30, 31, 33] }, values: [2, 1, 2], labels: ['A-1', 'A-2', 'A-4'], ats: ats(3) });
    expect(threeOfFourSentence(s)).toBe("Lead time: 3 of 4 finished items nearer the lower limit (0.9 days) than the average of 6.2 days (geometric mean) since the policy change 'WIP limit 3' on 2 Nov.");
  });

  it('names the phase: a policy change, an experiment, another event, or none logged', () => {
    expect(phaseWords({ ...policy, kind: 'experiment', text: 'Experiment started: pair on reviews' }, 0, zone, now)).toBe("since the experiment 'pair on reviews' started on 2 Nov");
    expect(phaseWords({ ...policy, kind: 'incident', text: 'CI outage' }, 0, zone, now)).toBe("since the event 'CI outage' on 2 Nov");
    expect(phaseWords(null, Date.parse('2025-10-15T10:00:00Z'), zone, now)).toBe('since 15 Oct 2025 (no change logged since)');
  });

  it('lists the points and says since when', () => {
    expect(signalPointsLine(facts({}))).toBe('Points: A-1, A-2, A-3, A-4, A-5, A-6, A-7, A-8 (3 Nov – 10 Nov). Signal since 3 Nov.');
  });
});
