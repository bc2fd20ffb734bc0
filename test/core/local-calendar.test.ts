/**
 * The one calendar (src/core/local-date.ts) at the edges luxon used to cover: local wall clocks
 * around DST changes, local times back to instants (skipped and repeated hours), dates, names.
 */
import { describe, expect, it } from 'vitest';
import { addDaysToDate, dateToDayNumber, dayMonth, instantOfLocalTime, isTimeZone, localClockOf, startOfLocalDate, weekdayName, zoneAbbreviation } from '../../src/core/index.ts';
import { addWorkingDays } from '../../src/nudges/working-days.ts';

const MIN = 60_000;

describe('local calendar', () => {
  it('reads the wall clock on both sides of a DST change', () => {
    // Berlin: 2026-03-29 clocks go 02:00 → 03:00 (01:00Z); 2026-10-25 03:00 → 02:00 (01:00Z)
    expect(localClockOf(Date.parse('2026-03-29T00:59:00Z'), 'Europe/Berlin')).toMatchObject({ date: '2026-03-29', hour: 1, minute: 59, weekday: 7 });
    expect(localClockOf(Date.parse('2026-03-29T01:00:00Z'), 'Europe/Berlin')).toMatchObject({ date: '2026-03-29', hour: 3, minute: 0 });
    expect(localClockOf(Date.parse('2026-10-26T08:30:00Z'), 'Europe/Berlin')).toMatchObject({ date: '2026-10-26', hour: 9, minute: 30, weekday: 1 });
    expect(localClockOf(Date.parse('2026-12-31T23:30:00Z'), 'America/New_York')).toMatchObject({ date: '2026-12-31', hour: 18, minute: 30, weekday: 4 });
  });

  it('turns a local time into its instant, moving a skipped time forward and taking the second of a repeated one', () => {
    const berlin = (date: string, hh: number, mm: number) => new Date(instantOfLocalTime(dateToDayNumber(date), (hh * 60 + mm) * MIN, 'Europe/Berlin')).toISOString();
    expect(berlin('2026-10-26', 9, 30)).toBe('2026-10-26T08:30:00.000Z');
    expect(berlin('2026-07-01', 0, 0)).toBe('2026-06-30T22:00:00.000Z');
    expect(berlin('2026-03-29', 2, 30)).toBe('2026-03-29T01:30:00.000Z'); // 02:30 does not exist: 03:30 CEST
    expect(berlin('2026-10-25', 2, 30)).toBe('2026-10-25T01:30:00.000Z'); // 02:30 happens twice: the CET one
    expect(startOfLocalDate('2026-10-26', 'Europe/Berlin')).toBe(Date.parse('2026-10-25T23:00:00Z'));
    expect(startOfLocalDate('2026-03-29', 'Europe/Berlin')).toBe(Date.parse('2026-03-28T23:00:00Z'));
  });

  it('keeps the local time across working days and a DST change', () => {
    // Friday 23 Oct 10:00 CEST + 2 working days = Tuesday 27 Oct 10:00 CET
    expect(new Date(addWorkingDays(Date.parse('2026-10-23T08:00:00Z'), 2, 'Europe/Berlin')).toISOString()).toBe('2026-10-27T09:00:00.000Z');
  });

  it('adds days to dates, names days, months and zones', () => {
    expect(addDaysToDate('2026-12-30', 4)).toBe('2027-01-03');
    expect(addDaysToDate('2028-03-01', -1)).toBe('2028-02-29');
    expect(dayMonth('2026-11-02')).toBe('2 Nov');
    expect(dayMonth('2025-11-02', true)).toBe('2 Nov 2025');
    expect(weekdayName(1)).toBe('Monday');
    expect(weekdayName(7)).toBe('Sunday');
    expect(zoneAbbreviation(Date.parse('2026-10-19T07:30:00Z'), 'Europe/Berlin')).toBe('GMT+2');
    expect(zoneAbbreviation(Date.parse('2026-12-19T07:30:00Z'), 'UTC')).toBe('UTC');
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});
