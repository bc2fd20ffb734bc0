import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  dateToDayNumber,
  dayNumberToDate,
  getZoneCalendar,
  isoWeek,
  isoWeekMonday,
  localDate,
  monthOf,
} from '../../src/core/local-date.ts';
import { at } from './flow-fixtures.ts';

describe('localDate', () => {
  it('gives the date of the instant in the zone, not in UTC', () => {
    expect(localDate(at('2026-01-01T23:30Z'), 'Europe/Berlin')).toBe('2026-01-02');
    expect(localDate(at('2026-01-01T23:30Z'), 'UTC')).toBe('2026-01-01');
    expect(localDate(at('2026-01-02T03:00Z'), 'America/New_York')).toBe('2026-01-01');
    expect(localDate(at('2026-01-01T11:00Z'), 'Pacific/Auckland')).toBe('2026-01-02');
  });

  it('follows the Berlin DST change of 2026-03-29 (01:00 UTC) and 2026-10-25 (01:00 UTC)', () => {
    // before the change: UTC+1; after: UTC+2
    expect(localDate(at('2026-03-28T22:59Z'), 'Europe/Berlin')).toBe('2026-03-28');
    expect(localDate(at('2026-03-28T23:00Z'), 'Europe/Berlin')).toBe('2026-03-29');
    expect(localDate(at('2026-03-29T21:59Z'), 'Europe/Berlin')).toBe('2026-03-29');
    expect(localDate(at('2026-03-29T22:00Z'), 'Europe/Berlin')).toBe('2026-03-30');
    const cal = getZoneCalendar('Europe/Berlin');
    expect(cal.offsetAt(at('2026-03-29T00:59:59Z'))).toBe(3_600_000);
    expect(cal.offsetAt(at('2026-03-29T01:00:00Z'))).toBe(7_200_000);
    expect(cal.offsetAt(at('2026-10-25T00:59:59Z'))).toBe(7_200_000);
    expect(cal.offsetAt(at('2026-10-25T01:00:00Z'))).toBe(3_600_000);
  });

  it('starts local days at local midnight, also on DST days', () => {
    const cal = getZoneCalendar('Europe/Berlin');
    expect(new Date(cal.startOfDay(dateToDayNumber('2026-03-29'))).toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(new Date(cal.startOfDay(dateToDayNumber('2026-03-30'))).toISOString()).toBe('2026-03-29T22:00:00.000Z');
    expect(new Date(cal.startOfDay(dateToDayNumber('2026-10-26'))).toISOString()).toBe('2026-10-25T23:00:00.000Z');
  });

  it('a day whose midnight is skipped by DST starts when the clocks jump (Santiago, 2026-09-06 01:00 −03)', () => {
    const cal = getZoneCalendar('America/Santiago');
    expect(new Date(cal.startOfDay(dateToDayNumber('2026-09-06'))).toISOString()).toBe('2026-09-06T04:00:00.000Z');
    expect(new Date(cal.startOfDay(dateToDayNumber('2026-09-07'))).toISOString()).toBe('2026-09-07T03:00:00.000Z');
  });

  it('the start of a local day is its first instant, in zones where midnight can be skipped too', () => {
    const zones = ['Europe/Berlin', 'America/Santiago', 'America/Havana', 'Asia/Beirut', 'Australia/Lord_Howe', 'UTC'];
    fc.assert(
      fc.property(fc.integer({ min: dateToDayNumber('2000-01-01'), max: dateToDayNumber('2040-01-01') }), fc.constantFrom(...zones), (day, zone) => {
        const cal = getZoneCalendar(zone);
        const start = cal.startOfDay(day);
        expect(cal.dayNumber(start)).toBe(day);
        expect(cal.dayNumber(start - 1)).toBe(day - 1);
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees with Intl for any instant in several zones', () => {
    const zones = ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata', 'America/Santiago', 'UTC'];
    const formats = zones.map((z) => new Intl.DateTimeFormat('en-CA', { timeZone: z, year: 'numeric', month: '2-digit', day: '2-digit' }));
    fc.assert(
      fc.property(fc.integer({ min: at('2000-01-01T00:00Z'), max: at('2040-01-01T00:00Z') }), fc.integer({ min: 0, max: zones.length - 1 }), (t, z) => {
        expect(localDate(t, zones[z])).toBe(formats[z].format(t));
      }),
      { numRuns: 3000 },
    );
  });

  it('names an unknown time zone and how to fix it', () => {
    expect(() => localDate(0, 'Europe/Berlinn')).toThrow(/Unknown time zone "Europe\/Berlinn": use an IANA time zone name/);
  });

  it('gives the same dates through its offset cache over a million calls in a year', () => {
    const start = at('2026-01-01T00:00Z');
    const step = Math.floor((365 * 86_400_000) / 1_000_000);
    for (let i = 0; i < 1_000_000; i += 100) localDate(start + i * step, 'Europe/Berlin'); // warm the cache
    let n = 0;
    for (let i = 0; i < 1_000_000; i++) n += localDate(start + i * step, 'Europe/Berlin').length;
    expect(n).toBe(10_000_000);
  });
});

describe('day numbers and ISO weeks', () => {
  it('round-trips dates and refuses invalid ones', () => {
    expect(dayNumberToDate(0)).toBe('1970-01-01');
    expect(dateToDayNumber('2026-02-09')).toBe(20493);
    expect(dayNumberToDate(20493)).toBe('2026-02-09');
    expect(() => dateToDayNumber('2026-02-30')).toThrow(/Invalid date "2026-02-30": expected a calendar date written YYYY-MM-DD/);
    expect(() => dateToDayNumber('9.2.2026')).toThrow(/YYYY-MM-DD/);
  });

  it('labels ISO weeks at year boundaries', () => {
    expect(isoWeek('2026-12-31')).toBe('2026-W53'); // Thursday
    expect(isoWeek('2027-01-01')).toBe('2026-W53'); // Friday
    expect(isoWeek('2027-01-03')).toBe('2026-W53'); // Sunday
    expect(isoWeek('2027-01-04')).toBe('2027-W01'); // Monday
    expect(isoWeek('2026-01-01')).toBe('2026-W01'); // Thursday: week 1 of 2026
    expect(isoWeek('2024-12-30')).toBe('2025-W01'); // Monday of 2025-W01
    expect(isoWeek('2021-01-03')).toBe('2020-W53');
    expect(isoWeek('2026-02-09')).toBe('2026-W07');
    expect(isoWeek('2026-02-15')).toBe('2026-W07');
  });

  it('gives the Monday of a week', () => {
    expect(isoWeekMonday('2027-01-01')).toBe('2026-12-28');
    expect(isoWeekMonday('2026-02-09')).toBe('2026-02-09');
    expect(isoWeekMonday('2026-02-15')).toBe('2026-02-09');
  });

  it('gives months', () => {
    expect(monthOf(dateToDayNumber('2026-02-17'))).toEqual({ month: '2026-02', start: dateToDayNumber('2026-02-01') });
    expect(monthOf(dateToDayNumber('2024-02-29')).month).toBe('2024-02');
  });
});
