import { describe, expect, it } from 'vitest';
import { agingWip, newlyCrossed, UNKNOWN_STAGE } from '../../src/core/aging-wip.ts';
import { at, item, teamMap, weekItems } from './flow-fixtures.ts';

const now = at('2026-02-15T12:00Z'); // Sunday 13:00 Berlin

describe('agingWip', () => {
  it('lists in-progress items with stage and calendar-inclusive age, oldest first', () => {
    const report = agingWip(weekItems(), teamMap, now, { '50': 2, '70': 3, '85': 10, '95': 10 });
    expect(report.items.map((i) => [i.key, i.stage, i.ageDays, i.beyond])).toEqual([
      ['B-3', 'Code review', 11, '95'], // started (Ready) 02-05 → 02-15 = 11 days > 10
      ['B-4', 'Doing', 4, null], // 02-12 → 02-15 = 4 days
    ]);
  });

  it('passes the 85th only when strictly older than it', () => {
    const p = { '50': 2, '70': 3, '85': 11, '95': 20 };
    const report = agingWip(weekItems(), teamMap, now, p);
    expect(report.items.map((i) => [i.key, i.ageDays, i.beyond])).toEqual([['B-3', 11, null], ['B-4', 4, null]]); // 11 = the 85th: not passed
    const later = agingWip(weekItems(), teamMap, at('2026-02-15T23:30Z'), p); // already 02-16 00:30 in Berlin
    expect(later.items.map((i) => [i.key, i.ageDays, i.beyond])).toEqual([['B-3', 12, '85'], ['B-4', 5, null]]);
    const done = agingWip(weekItems(), teamMap, at('2026-02-16T12:00Z'), p); // B-4 finished at 10:00Z
    expect(done.items.map((i) => i.key)).toEqual(['B-3']);
  });

  it('without percentiles nothing is flagged; an item in an unknown status is shown as such', () => {
    const items = [item('U-1', '2026-02-01T00:00Z', [['To Do', 'In Progress', '2026-02-02T00:00Z'], ['In Progress', 'Blocked', '2026-02-03T00:00Z']])];
    const report = agingWip(items, teamMap, now, null);
    expect(report.items).toEqual([
      { key: 'U-1', type: 'feature', title: 'Item U-1', stage: UNKNOWN_STAGE, startedAt: at('2026-02-02T00:00Z'), ageDays: 14, beyond: null },
    ]);
  });
});

describe('newlyCrossed', () => {
  it('flags an item once per threshold: 85th, then 95th, then nothing more', () => {
    const base = { key: 'A-1', type: 'feature' as const, title: 't', stage: 'Doing', startedAt: 0 };
    const day1 = { percentiles: null, items: [{ ...base, ageDays: 9, beyond: '85' as const }] };
    const first = newlyCrossed({}, day1);
    expect(first.crossed.map((c) => [c.item.key, c.threshold])).toEqual([['A-1', '85']]);
    expect(first.flags).toEqual({ 'A-1': ['85'] });

    const day2 = newlyCrossed(first.flags, { percentiles: null, items: [{ ...base, ageDays: 10, beyond: '85' as const }] });
    expect(day2.crossed).toEqual([]);

    const day3 = newlyCrossed(day2.flags, { percentiles: null, items: [{ ...base, ageDays: 14, beyond: '95' as const }] });
    expect(day3.crossed.map((c) => c.threshold)).toEqual(['95']);
    expect(day3.flags).toEqual({ 'A-1': ['85', '95'] });

    const day4 = newlyCrossed(day3.flags, { percentiles: null, items: [{ ...base, ageDays: 15, beyond: '95' as const }] });
    expect(day4.crossed).toEqual([]);
  });

  it('jumping straight past the 95th gives one alert, and the 85th is not flagged later', () => {
    const base = { key: 'A-2', type: 'defect' as const, title: 't', stage: 'Doing', startedAt: 0 };
    const jump = newlyCrossed({}, { percentiles: null, items: [{ ...base, ageDays: 20, beyond: '95' as const }] });
    expect(jump.crossed.map((c) => c.threshold)).toEqual(['95']);
    const back = newlyCrossed(jump.flags, { percentiles: null, items: [{ ...base, ageDays: 21, beyond: '85' as const }] });
    expect(back.crossed).toEqual([]);
  });

  it('drops flags of items no longer in progress', () => {
    expect(newlyCrossed({ 'A-9': ['85'] }, { percentiles: null, items: [] }).flags).toEqual({});
  });
});
