import { describe, expect, it } from 'vitest';
import { cycleTime } from '../../src/core/cycle-time.ts';
import { leadTime } from '../../src/core/lead-time.ts';
import { at, HOUR, teamMap, weekItems, weekWindow } from './flow-fixtures.ts';

describe('leadTime', () => {
  it('lists the items completed in the window in completion order, in calendar-inclusive days', () => {
    const report = leadTime(weekItems(), teamMap, weekWindow);
    expect(report.days).toBe('calendar');
    expect(report.items.map((i) => [i.key, i.startDate, i.endDate, i.days])).toEqual([
      ['B-2', '2026-02-09', '2026-02-09', 1],
      ['B-8', '2026-02-09', '2026-02-11', 3], // done 02-10 23:30 UTC = 02-11 00:30 in Berlin
      ['B-1', '2026-02-02', '2026-02-11', 10],
      ['B-7', '2026-02-02', '2026-02-12', 11], // reopened: completes at its last entry into done
      ['B-6', '2026-02-01', '2026-02-13', 13], // never started, still has a lead time
    ]);
    // sorted 1 3 10 11 13 → ranks ceil(2.5)=3, ceil(3.5)=4, ceil(4.25)=5, ceil(4.75)=5
    expect(report.percentiles).toEqual({ '50': 10, '70': 11, '85': 13, '95': 13 });
    expect(report.count).toBe(5);
  });

  it('leaves out items completed after the window (B-4) and not completed (B-3, B-5)', () => {
    const keys = leadTime(weekItems(), teamMap, weekWindow).items.map((i) => i.key);
    expect(keys).not.toContain('B-4');
    expect(keys).not.toContain('B-3');
    expect(keys).not.toContain('B-5');
  });

  it('reports elapsed fractional days on request', () => {
    const report = leadTime(weekItems(), teamMap, weekWindow, 'elapsed');
    const b2 = report.items.find((i) => i.key === 'B-2')!;
    expect(b2.ms).toBe(10 * HOUR);
    expect(b2.days).toBeCloseTo(10 / 24, 12);
  });

  it('an empty window gives no items and null percentiles; a reversed window is refused', () => {
    const empty = leadTime(weekItems(), teamMap, { from: at('2025-01-01T00:00Z'), to: at('2025-02-01T00:00Z') });
    expect(empty).toEqual({ days: 'calendar', count: 0, percentiles: null, items: [] });
    expect(() => leadTime(weekItems(), teamMap, { from: weekWindow.to, to: weekWindow.from })).toThrow(/make "to" later than "from"/);
  });
});

describe('cycleTime', () => {
  it('runs from the first entry into a wait or touch stage; never-started items are left out', () => {
    const report = cycleTime(weekItems(), teamMap, weekWindow);
    expect(report.items.map((i) => [i.key, i.days])).toEqual([
      ['B-2', 1],
      ['B-8', 2],
      ['B-1', 3],
      ['B-7', 10], // from its first start on 02-03, through the reopening
    ]);
    // sorted 1 2 3 10 → ranks 2, ceil(2.8)=3, ceil(3.4)=4, 4
    expect(report.percentiles).toEqual({ '50': 2, '70': 3, '85': 10, '95': 10 });
  });

  it('in elapsed days', () => {
    const report = cycleTime(weekItems(), teamMap, weekWindow, 'elapsed');
    expect(report.items.map((i) => i.ms)).toEqual([8 * HOUR, 15.5 * HOUR, 54 * HOUR, (9 * 24 + 1) * HOUR]);
  });
});
