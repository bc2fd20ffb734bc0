import { describe, expect, it } from 'vitest';
import { throughput } from '../../src/core/throughput.ts';
import { at, item, teamMap, weekItems, weekWindow } from './flow-fixtures.ts';

describe('throughput', () => {
  it('counts completions per local day, zero-filled, and per ISO week', () => {
    const report = throughput(weekItems(), teamMap, weekWindow);
    expect(report.perDay).toEqual([
      { date: '2026-02-09', count: 1 }, // B-2
      { date: '2026-02-10', count: 0 },
      { date: '2026-02-11', count: 2 }, // B-8 (00:30 Berlin), B-1
      { date: '2026-02-12', count: 1 }, // B-7
      { date: '2026-02-13', count: 1 }, // B-6
      { date: '2026-02-14', count: 0 },
      { date: '2026-02-15', count: 0 },
    ]);
    expect(report.perWeek).toEqual([{ week: '2026-W07', start: '2026-02-09', count: 5 }]);
    expect(report.total).toBe(5);
  });

  it('lists ISO weeks across the year boundary (2026-W53 holds 2027-01-01)', () => {
    const map = { ...teamMap, timeZone: 'UTC' };
    const items = [
      item('Y-1', '2026-12-01T00:00Z', [['To Do', 'Done', '2026-12-31T12:00Z']]),
      item('Y-2', '2026-12-01T00:00Z', [['To Do', 'Done', '2027-01-01T12:00Z']]),
      item('Y-3', '2026-12-01T00:00Z', [['To Do', 'Done', '2027-01-05T12:00Z']]),
    ];
    const report = throughput(items, map, { from: at('2026-12-21T00:00Z'), to: at('2027-01-11T00:00Z') });
    expect(report.perWeek).toEqual([
      { week: '2026-W52', start: '2026-12-21', count: 0 },
      { week: '2026-W53', start: '2026-12-28', count: 2 },
      { week: '2027-W01', start: '2027-01-04', count: 1 },
    ]);
    expect(report.perDay).toHaveLength(21);
  });

  it('a week cut by the window counts only the days inside it', () => {
    const report = throughput(weekItems(), teamMap, { from: at('2026-02-10T23:00Z'), to: at('2026-02-12T23:00Z') });
    expect(report.perDay.map((d) => d.date)).toEqual(['2026-02-11', '2026-02-12']);
    expect(report.perWeek).toEqual([{ week: '2026-W07', start: '2026-02-09', count: 3 }]);
  });
});
