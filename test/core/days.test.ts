import { describe, expect, it } from 'vitest';
import { calendarDaysInclusive, durationDays, elapsedDays } from '../../src/core/days.ts';
import { at } from './flow-fixtures.ts';

describe('calendarDaysInclusive', () => {
  it('counts a same-day item as 1 day and the next day as 2', () => {
    expect(calendarDaysInclusive(at('2026-02-09T07:00Z'), at('2026-02-09T16:00Z'), 'Europe/Berlin')).toBe(1);
    // Monday 17:00 Berlin → Tuesday 09:00 Berlin: 16 hours, two calendar days
    expect(calendarDaysInclusive(at('2026-02-09T16:00Z'), at('2026-02-10T08:00Z'), 'Europe/Berlin')).toBe(2);
  });

  it('counts local dates of the stream, not UTC dates', () => {
    // 23:30 UTC is already the next day in Berlin: both instants are on 2026-02-10 there
    expect(calendarDaysInclusive(at('2026-02-09T23:30Z'), at('2026-02-10T20:00Z'), 'Europe/Berlin')).toBe(1);
    expect(calendarDaysInclusive(at('2026-02-09T23:30Z'), at('2026-02-10T20:00Z'), 'UTC')).toBe(2);
  });

  it('is not fooled by the DST change in Berlin on 2026-03-29 (a 23-hour day)', () => {
    // Saturday 28 March 23:30 CET → Sunday 29 March 23:30 CEST: 23 elapsed hours, 2 calendar days
    const start = at('2026-03-28T22:30Z');
    const end = at('2026-03-29T21:30Z');
    expect(calendarDaysInclusive(start, end, 'Europe/Berlin')).toBe(2);
    expect(elapsedDays(start, end)).toBeCloseTo(23 / 24, 12);
    // Saturday noon → Monday noon local: 47 elapsed hours, 3 calendar days
    expect(calendarDaysInclusive(at('2026-03-28T11:00Z'), at('2026-03-30T10:00Z'), 'Europe/Berlin')).toBe(3);
    expect(elapsedDays(at('2026-03-28T11:00Z'), at('2026-03-30T10:00Z'))).toBeCloseTo(47 / 24, 12);
  });

  it('durationDays picks the counting by name', () => {
    expect(durationDays(at('2026-02-09T00:00Z'), at('2026-02-10T12:00Z'), 'elapsed', 'UTC')).toBe(1.5);
    expect(durationDays(at('2026-02-09T00:00Z'), at('2026-02-10T12:00Z'), 'calendar', 'UTC')).toBe(2);
  });
});
