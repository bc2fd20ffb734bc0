import { describe, expect, it } from 'vitest';
import { compareExperiment } from '../../src/core/experiment-comparison.ts';
import { readXmr } from '../../src/core/xmr-reading.ts';
import type { FlowEvent } from '../../src/core/types.ts';

const DAY = 86_400_000;
const MONDAY = Date.UTC(2026, 8, 7); // Monday 7 Sep 2026
const weekly = (values: number[]) => ({ values, labels: values.map((_, i) => `W${i + 1}`), ats: values.map((_, i) => MONDAY + i * 7 * DAY) });
const experiment = (at: number): FlowEvent => ({ at, text: 'Experiment started: WIP limit 3', kind: 'experiment' });

describe('compareExperiment', () => {
  it('throughput beyond the limits of the phase before: moved the right way; 3 weeks since, 3 more needed', () => {
    // before: 5 5 6 4 5 6 5 4 → centre 40 / 8 = 5, moving ranges 0 1 2 1 1 1 1 → mean 1,
    // UNPL 5 + 2.66 = 7.66, LNPL 2.34; since the Wednesday of week 8: 9 8 9, all above 7.66
    const startedAt = MONDAY + 7 * 7 * DAY + 2 * DAY;
    const now = MONDAY + 11 * 7 * DAY + 3 * DAY;
    const reading = readXmr('throughput', weekly([5, 5, 6, 4, 5, 6, 5, 4, 9, 8, 9]), [experiment(startedAt)]);
    const c = compareExperiment(reading, startedAt, now, 'UTC');
    expect(c.before.points).toBe(8);
    expect(c.before.limits!.center).toBeCloseTo(5, 10);
    expect(c.before.limits!.unpl).toBeCloseTo(7.66, 10);
    expect(c.before.limits!.lnpl).toBeCloseTo(2.34, 10);
    expect(c.since).toEqual({ points: 3, limits: null, average: 26 / 3 });
    expect(c.before.average).toBe(5);
    // the three points since beyond the upper limit (3 of 4 needs four points since)
    expect(c.signals).toEqual([
      { rule: 'beyond-limits', side: 'above', phase: 0, points: [8] },
      { rule: 'beyond-limits', side: 'above', phase: 0, points: [9] },
      { rule: 'beyond-limits', side: 'above', phase: 0, points: [10] },
    ]);
    expect(c.verdict).toBe('right-way');
    expect(c.needed).toBe(3);
    // the last point is the week of Monday 16 Nov; the 3rd week after it ends Monday 14 Dec
    expect(new Date(c.likelyBy!).toISOString()).toBe('2026-12-14T00:00:00.000Z');
  });

  it('lead time on the log scale within the limits of before: noise; the phase since has its own limits', () => {
    // logs before 2 1 2 1 2 1: centre 1.5, mR mean 1 → log limits 1.5 ± 2.66 = 4.16 / −1.16
    // logs since 1.5 1.5 2 1 1.5 1.5: none beyond, no run of 8, none above (1.5 + 4.16) / 2 = 2.83
    const logs = [2, 1, 2, 1, 2, 1, 1.5, 1.5, 2, 1, 1.5, 1.5];
    const ats = logs.map((_, i) => MONDAY + i * DAY);
    const startedAt = ats[6]! - 3_600_000;
    const reading = readXmr('leadtime', { values: logs.map(Math.exp), labels: logs.map((_, i) => `A-${i}`), ats }, [experiment(startedAt)]);
    const c = compareExperiment(reading, startedAt, ats[11]! + DAY, 'UTC');
    expect(c.before.points).toBe(6);
    expect(c.before.limits!.center).toBeCloseTo(Math.exp(1.5), 10);
    expect(c.before.limits!.unpl).toBeCloseTo(Math.exp(4.16), 8);
    expect(c.before.limits!.lnpl).toBeCloseTo(Math.exp(-1.16), 10);
    // since: mean log 9 / 6 = 1.5, moving ranges 0 .5 1 .5 0 → mean .4, UNPL log 1.5 + 1.064 = 2.564
    expect(c.since.points).toBe(6);
    expect(c.since.limits!.center).toBeCloseTo(Math.exp(1.5), 10);
    expect(c.since.limits!.unpl).toBeCloseTo(Math.exp(2.564), 8);
    expect(c.signals).toEqual([]);
    expect(c.verdict).toBe('noise');
    expect(c.needed).toBe(0);
    expect(c.likelyBy).toBeNull();
  });

  it('lead time running above the centre of before for 8 points: moved the wrong way', () => {
    // logs since all 1.8: above the centre 1.5, inside the limits, none above 2.83
    const logs = [2, 1, 2, 1, 2, 1, 1.8, 1.8, 1.8, 1.8, 1.8, 1.8, 1.8, 1.8];
    const ats = logs.map((_, i) => MONDAY + i * DAY);
    const startedAt = ats[6]! - 3_600_000;
    const reading = readXmr('leadtime', { values: logs.map(Math.exp), labels: logs.map((_, i) => `A-${i}`), ats }, [experiment(startedAt)]);
    const c = compareExperiment(reading, startedAt, ats.at(-1)! + DAY, 'UTC');
    expect(c.signals.map((s) => [s.rule, s.side, s.points])).toEqual([['run-of-8', 'above', [6, 7, 8, 9, 10, 11, 12, 13]]]);
    expect(c.since.average).toBeCloseTo(Math.exp(1.8), 10);
    expect(c.verdict).toBe('wrong-way');
  });

  it('under 6 lead times since: how many more, at the rate of the last 28 days', () => {
    const logs = [2, 1, 2, 1, 2, 1, 1, 1];
    // 7 completions in the last 28 days before now: 4 more take ceil(4 × 28 / 7) = 16 days
    const now = MONDAY + 40 * DAY;
    const ats = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => (i === 0 ? MONDAY : now - 27 * DAY + (i - 1) * 3 * DAY));
    const startedAt = ats[6]! - 3_600_000;
    const reading = readXmr('leadtime', { values: logs.map(Math.exp), labels: logs.map((_, i) => `A-${i}`), ats }, [experiment(startedAt)]);
    const c = compareExperiment(reading, startedAt, now, 'UTC');
    expect(c.since).toMatchObject({ points: 2, limits: null });
    expect(c.needed).toBe(4);
    expect(c.likelyBy).toBe(now + 16 * DAY);
  });

  it('signals on both sides: the side with more points in signals is the way it moved', () => {
    // before centre 5, limits 2.34–7.66; since: 9 (above), then 1 1 (below) — two points below against one above
    const startedAt = MONDAY + 7 * 7 * DAY + 2 * DAY;
    const reading = readXmr('throughput', weekly([5, 5, 6, 4, 5, 6, 5, 4, 9, 1, 1]), [experiment(startedAt)]);
    const c = compareExperiment(reading, startedAt, MONDAY + 11 * 7 * DAY, 'UTC');
    expect(c.signals.map((s) => [s.rule, s.side, s.points])).toEqual([
      ['beyond-limits', 'above', [8]],
      ['beyond-limits', 'below', [9]],
      ['beyond-limits', 'below', [10]],
    ]);
    expect(c.verdict).toBe('wrong-way');
    const even = compareExperiment(readXmr('throughput', weekly([5, 5, 6, 4, 5, 6, 5, 4, 9, 1]), [experiment(startedAt)]), startedAt, MONDAY + 10 * 7 * DAY, 'UTC');
    expect(even.verdict).toBe('mixed');
  });

  it('without 6 points before the change there is no baseline to compare with', () => {
    const startedAt = MONDAY + 3 * 7 * DAY + DAY;
    const reading = readXmr('throughput', weekly([5, 6, 5, 4, 9, 9]), [experiment(startedAt)]);
    const c = compareExperiment(reading, startedAt, MONDAY + 6 * 7 * DAY, 'UTC');
    expect(c.before).toEqual({ points: 4, limits: null, average: 5 });
    expect(c.verdict).toBe('no-baseline');
    expect(c.signals).toEqual([]);
  });
});
