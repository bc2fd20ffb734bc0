import { describe, expect, it } from 'vitest';
import { computeReportSet } from '../../src/core/report-set.ts';
import { cycleTime } from '../../src/core/cycle-time.ts';
import { stageBreakdown } from '../../src/core/stage-breakdown.ts';
import { at, item, teamMap, weekItems, weekWindow } from './flow-fixtures.ts';
import { generateItems } from './generate-items.ts';

describe('computeReportSet', () => {
  it('gives the same numbers as the single metrics', () => {
    const items = [
      ...weekItems(),
      item('X-1', '2026-02-02T08:00Z', [['To Do', 'Parked', '2026-02-03T08:00Z']]),
      item('E-1', '2026-01-01T00:00Z', [], { isEpic: true, anticipatedOutcome: null }),
    ];
    const now = at('2026-02-15T12:00Z');
    const events = [{ at: at('2026-02-11T12:00Z'), text: 'review twice a day', kind: 'policy' }];
    const set = computeReportSet(items, teamMap, events, weekWindow, now, 'calendar');
    expect(set.leadTime.items.map((i) => i.key)).toEqual(['B-2', 'B-8', 'B-1', 'B-7', 'B-6']);
    expect(set.cycleTime).toEqual(cycleTime(items, teamMap, weekWindow));
    expect(set.throughput.total).toBe(5);
    expect(set.wip.map((d) => d.count)).toEqual([2, 4, 2, 2, 2, 2, 2]);
    expect(set.netFlow[0].netFlow).toBe(-1);
    expect(set.stages).toEqual(stageBreakdown(items, teamMap, weekWindow, now));
    expect(set.aging.percentiles).toEqual({ '50': 2, '70': 3, '85': 10, '95': 10 });
    expect(set.aging.items.map((i) => [i.key, i.beyond])).toEqual([['B-3', '95'], ['B-4', null]]);
    expect(set.featureFactory.ratio).toBe(100);
    expect(set.cfd).toHaveLength(7);
    expect(set.unknownStatuses).toEqual([{ status: 'Parked', items: 1 }]);
    expect(set.forecastThroughput).toHaveLength(90);
    expect(set.forecastThroughput.reduce((s, c) => s + c, 0)).toBe(5); // days before today; B-7's first completion on 02-05 is superseded
    expect(set.littlesLaw.ratio).toBeCloseTo(1.0431, 3);
    // the event falls between B-1 (02-11 14:00Z, after it) and B-8: the lead-time chart has a second phase from B-1
    expect(set.xmr.leadTime.points.map((p) => p.phase)).toEqual([0, 0, 1, 1, 1]);
    expect(set.xmr.leadTime.points.map((p) => p.label)).toEqual(['B-2', 'B-8', 'B-1', 'B-7', 'B-6']);
    // WIP read weekly, at the end of each complete ISO week (the window is one)
    expect(set.xmr.wip.points.map((p) => [p.label, p.value])).toEqual([[set.netFlow[0].week, 2]]);
  });

  it('with elapsed days, aging still compares calendar days', () => {
    const set = computeReportSet(weekItems(), teamMap, [], weekWindow, at('2026-02-15T12:00Z'), 'elapsed');
    expect(set.cycleTime.days).toBe('elapsed');
    expect(set.aging.percentiles).toEqual({ '50': 2, '70': 3, '85': 10, '95': 10 });
  });

  // Speed is measured by `npm run bench` (target: at most 1 s); this checks the results at that size.
  it('computes every report over 100,000 items with 1,000,000 transitions', () => {
    const items = generateItems(100_000, 2026);
    expect(items.reduce((s, i) => s + i.transitions.length, 0)).toBe(1_000_000);
    const window = { from: at('2025-12-31T23:00Z'), to: at('2026-12-31T23:00Z') }; // 2026 in Berlin
    const now = at('2026-12-31T12:00Z');
    const events = [{ at: at('2026-06-01T00:00Z'), text: 'WIP limit', kind: 'policy' }];
    const set = computeReportSet(items, teamMap, events, window, now);
    expect(set!.throughput.total).toBeGreaterThan(50_000);
    expect(set!.cfd).toHaveLength(365);
  });
});
