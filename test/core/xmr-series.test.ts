import { describe, expect, it } from 'vitest';
import { cycleTimeSeries, dailyWipSeries, leadTimeSeries, phaseStartsFor, weeklyThroughputSeries } from '../../src/core/xmr-series.ts';
import { xmr } from '../../src/core/xmr.ts';
import { at, teamMap, weekItems, weekWindow } from './flow-fixtures.ts';

describe('XmR series', () => {
  it('lead and cycle time of each completed item in completion order', () => {
    expect(leadTimeSeries(weekItems(), teamMap, weekWindow)).toEqual({
      values: [1, 3, 10, 11, 13],
      labels: ['B-2', 'B-8', 'B-1', 'B-7', 'B-6'],
      ats: ['2026-02-09T17:00Z', '2026-02-10T23:30Z', '2026-02-11T14:00Z', '2026-02-12T10:00Z', '2026-02-13T10:00Z'].map(at),
    });
    expect(cycleTimeSeries(weekItems(), teamMap, weekWindow).values).toEqual([1, 2, 3, 10]);
  });

  it('weekly throughput and daily WIP, with the local midnight of each point', () => {
    const window = { from: at('2026-02-01T23:00Z'), to: at('2026-02-15T23:00Z') };
    expect(weeklyThroughputSeries(weekItems(), teamMap, window)).toEqual({
      values: [0, 5],
      labels: ['2026-W06', '2026-W07'],
      ats: [at('2026-02-01T23:00Z'), at('2026-02-08T23:00Z')],
    });
    // a window that cuts weeks (Tuesday to Tuesday) counts the whole weeks inside it only
    const cut = { from: at('2026-02-03T10:00Z'), to: at('2026-02-17T10:00Z') };
    expect(weeklyThroughputSeries(weekItems(), teamMap, cut)).toEqual({ values: [5], labels: ['2026-W07'], ats: [at('2026-02-08T23:00Z')] });
    const wip = dailyWipSeries(weekItems(), teamMap, weekWindow);
    expect(wip.values).toEqual([2, 4, 2, 2, 2, 2, 2]);
    expect(wip.labels[0]).toBe('2026-02-09');
    expect(wip.ats[0]).toBe(at('2026-02-08T23:00Z'));
  });

  it('maps each event to the first point at or after it and drops events after the last point', () => {
    const ats = [10, 20, 30, 40];
    const events = [
      { at: 35, text: 'pairing at review', kind: 'policy' },
      { at: 20, text: 'WIP limit', kind: 'policy' },
      { at: 99, text: 'too late', kind: 'note' },
    ];
    expect(phaseStartsFor(ats, events)).toEqual({ phaseStarts: [1, 3], events: [events[1], events[0]] });
    const result = xmr([1, 2, 3, 4], { ...phaseStartsFor(ats, events) });
    expect(result.points.map((p) => p.phase)).toEqual([0, 1, 1, 2]);
  });
});
