import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseStrictDate, parseStrictTime } from '../../src/core/strict-time.ts';
import { impossibleDate, pad, validDate } from '../support/date-arbitraries.ts';
import { parseVendorTime } from '../../src/trackers/parse-time.ts';
import { parsePeriod } from '../../src/commands/period.ts';

describe('parseStrictTime (the one reader of dates and times)', () => {
  it('refuses the dates of the issue, naming the value, the reason and the accepted forms', () => {
    for (const text of ['2026-09-31T10:00:00Z', '2026-02-30', '2026-11-31']) {
      const result = parseStrictTime(text, { timeZone: 'UTC' });
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.reason).toContain(`"${text}"`);
        expect(result.reason).toMatch(/has (30|28) days/);
        expect(result.reason).toContain('2026-01-05T09:00:00Z');
      }
    }
  });

  it('refuses every generated impossible date, with any time and offset', () => {
    fc.assert(
      fc.property(impossibleDate, fc.constantFrom('', 'T10:00:00Z', 'T00:00:00+02:00', ' 14:27:15 UTC', 'T10:00'), (date, rest) => {
        expect(parseStrictTime(`${date}${rest}`, { timeZone: 'Europe/Berlin' }).ok).toBe(false);
        expect(parseStrictDate(date).ok).toBe(false);
      }),
    );
  });

  it('refuses clock times off the clock and offsets past ±14:00', () => {
    fc.assert(
      fc.property(
        validDate,
        fc.oneof(
          fc.integer({ min: 24, max: 99 }).map((h) => `T${pad(h)}:00:00Z`),
          fc.integer({ min: 60, max: 99 }).map((m) => `T10:${pad(m)}:00Z`),
          fc.integer({ min: 60, max: 99 }).map((s) => `T10:00:${pad(s)}Z`),
          fc.integer({ min: 15, max: 99 }).map((h) => `T10:00:00+${pad(h)}:00`),
          fc.integer({ min: 60, max: 99 }).map((m) => `T10:00:00-01:${pad(m)}`),
        ),
        (date, rest) => {
          expect(parseStrictTime(`${date.text}${rest}`).ok).toBe(false);
        },
      ),
    );
  });

  it('takes every calendar date, at the same instant Date.UTC gives', () => {
    fc.assert(
      fc.property(validDate, fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), (date, hour, minute) => {
        const expected = Date.UTC(date.year, date.month - 1, date.day, hour, minute);
        expect(parseStrictTime(`${date.text}T${pad(hour)}:${pad(minute)}:00Z`)).toEqual({ ok: true, at: expected });
        expect(parseStrictTime(`${date.text}T${pad(hour)}:${pad(minute)}:00+0130`)).toEqual({ ok: true, at: expected - 90 * 60_000 });
        expect(parseStrictDate(date.text).ok).toBe(true);
      }),
    );
  });

  it("reads a time without an offset in the stream's zone, and refuses it when no zone is known", () => {
    expect(parseStrictTime('2026-01-10', { timeZone: 'Europe/Berlin' })).toEqual({ ok: true, at: Date.parse('2026-01-09T23:00:00Z') });
    expect(parseStrictTime('2026-07-10T09:30', { timeZone: 'Europe/Berlin' })).toEqual({ ok: true, at: Date.parse('2026-07-10T07:30:00Z') });
    expect(parseStrictTime('2026-07-10T09:30').ok).toBe(false);
    expect(parseStrictTime('2026-07-10', { timeZone: 'UTC', requireTime: true }).ok).toBe(false);
  });

  it('refuses the forms people type that are not ISO dates', () => {
    for (const text of ['12/10/2026', '2026-09-8', 'yesterday', '', '2026-1-01T00:00:00Z', '20260101']) {
      expect(parseStrictTime(text, { timeZone: 'UTC' }).ok).toBe(false);
    }
  });
});

describe('each boundary refuses generated impossible dates', () => {
  it('webhook and backfill payload times (parseVendorTime) are null, not rolled into the next month', () => {
    expect(parseVendorTime('2026-09-31T10:00:00.000+0000')).toBeNull();
    expect(parseVendorTime('2026-09-30T10:00:00.000+0000')).toBe(Date.parse('2026-09-30T10:00:00Z'));
    expect(parseVendorTime('2020-06-29 14:27:15 UTC')).toBe(Date.parse('2020-06-29T14:27:15Z'));
    fc.assert(fc.property(impossibleDate, (date) => { expect(parseVendorTime(`${date}T10:00:00Z`)).toBeNull(); }));
  });

  it('chat periods (since DATE) are refused with the reason', () => {
    const refused = parsePeriod(['since', '2026-02-30']);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.reason).toContain('February 2026 has 28 days');
    fc.assert(fc.property(impossibleDate, (date) => { expect(parsePeriod(["since", date]).ok).toBe(false); }));
    expect(parsePeriod(['since', '2026-02-28']).ok).toBe(true);
  });
});
