/**
 * One strict reader of dates and times for every boundary (import files, vendor payloads,
 * CLI options, chat periods, forms). Pure: no I/O, no clock.
 *
 * Accepted:
 * - `2026-01-05T09:00:00Z`, `2026-01-05T10:00:00+01:00`, `2026-01-05T10:00:00+0100`,
 *   `2026-01-05 10:00:00 UTC` (seconds and fractions optional, `T` or a space);
 * - with no offset (`2026-01-05T10:00`, or a date `2026-01-05`): that wall clock (midnight) in
 *   the stream's time zone, when one is given; refused otherwise.
 *
 * Only calendar-valid values pass: 2026-09-31, 2026-02-30, 24:00, 10:60 and offsets past ±14:00
 * are refused with the reason (Date.parse would roll 2026-09-31 over into October).
 */
import { getZoneCalendar } from './local-date.ts';

/** What a refusal says a value may look like. */
export const ACCEPTED_TIME_FORMS = 'YYYY-MM-DD (midnight in the stream\'s time zone), or an ISO-8601 time such as 2026-01-05T09:00:00Z or 2026-01-05T10:00:00+01:00';
export const ACCEPTED_DATE_FORMS = 'YYYY-MM-DD, a calendar date such as 2026-09-30';

export type StrictTime = { ok: true; at: number } | { ok: false; reason: string };
export type StrictDate = { ok: true; date: string; year: number; month: number; day: number } | { ok: false; reason: string; why: string };

export interface StrictTimeOptions {
  /** The zone of a value without an offset (the stream's zone). Without it such values are refused. */
  timeZone?: string;
  /** Refuse a plain date (a time of day is required). */
  requireTime?: boolean;
}

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Days in a month (1–12) of a proleptic Gregorian year. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Why year-month-day is not a calendar date, or null when it is one. */
export function calendarProblem(year: number, month: number, day: number): string | null {
  if (year < 1970 || year > 9999) return `the year ${year} is out of range (1970 to 9999)`;
  if (month < 1 || month > 12) return `there is no month ${month}`;
  const last = daysInMonth(year, month);
  if (day < 1 || day > last) return `${MONTH_NAMES[month - 1]} ${year} has ${last} days`;
  return null;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|UTC|[+-]\d{2}(?::?\d{2})?)?$/;

/** A calendar date written YYYY-MM-DD; anything else (2026-09-31, 2026-9-8, 12/10/2026) is refused with the reason. */
export function parseStrictDate(text: string): StrictDate {
  const value = typeof text === 'string' ? text.trim() : '';
  const m = DATE.exec(value);
  if (!m) return { ok: false, reason: `"${text}" is not a date; write ${ACCEPTED_DATE_FORMS}`, why: `"${text}" is not a date` };
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const problem = calendarProblem(year, month, day);
  if (problem) return { ok: false, reason: `"${text}" is not a date: ${problem}; write ${ACCEPTED_DATE_FORMS}`, why: `"${text}" is not a date: ${problem}` };
  return { ok: true, date: value, year, month, day };
}

function refuse(text: string, why: string): StrictTime {
  return { ok: false, reason: `"${text}" is not ${why}; write ${ACCEPTED_TIME_FORMS}` };
}

/** Local wall clock (as if UTC, ms) in a zone → the instant. */
function wallClockToInstant(wall: number, timeZone: string): number {
  const calendar = getZoneCalendar(timeZone);
  const first = wall - calendar.offsetAt(wall);
  return wall - calendar.offsetAt(first);
}

/**
 * A date or time as epoch ms, or the reason it is refused (naming the value and the accepted forms).
 * @example parseStrictTime('2026-09-30T10:00:00Z') // { ok: true, at: Date.UTC(2026, 8, 30, 10) }
 * @example parseStrictTime('2026-09-31T10:00:00Z').ok // false: September 2026 has 30 days
 */
export function parseStrictTime(text: string, options: StrictTimeOptions = {}): StrictTime {
  if (typeof text !== 'string') return { ok: false, reason: `${JSON.stringify(text) ?? String(text)} is not a time; write ${ACCEPTED_TIME_FORMS}` };
  const value = text.trim();
  // Read on every vendor timestamp a webhook carries: no closures or arrays on the way to a result.
  const m = value.length <= 64 ? TIME.exec(value) : null;
  if (!m) return refuse(text, 'a date or time');
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const dateProblem = calendarProblem(year, month, day);
  if (dateProblem) return refuse(text, `a date: ${dateProblem}`);
  const hasTime = m[4] !== undefined;
  if (!hasTime && options.requireTime) return refuse(text, 'a time: a time of day is needed');
  const hour = hasTime ? Number(m[4]) : 0;
  const minute = hasTime ? Number(m[5]) : 0;
  const second = m[6] !== undefined ? Number(m[6]) : 0;
  if (hour > 23) return refuse(text, `a time: the hour ${m[4]} is past 23`);
  if (minute > 59) return refuse(text, `a time: the minute ${m[5]} is past 59`);
  if (second > 59) return refuse(text, `a time: the second ${m[6]} is past 59`);
  const millis = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  const zone = m[8];
  if (zone === undefined) {
    if (!options.timeZone) return refuse(text, hasTime ? 'a time with an offset: add Z or +01:00' : 'a time: add a time of day and an offset, e.g. T09:00:00Z');
    return { ok: true, at: wallClockToInstant(wall, options.timeZone) };
  }
  if (!hasTime) return refuse(text, 'a time: an offset needs a time of day');
  if (zone === 'Z' || zone === 'z' || zone === 'UTC') return { ok: true, at: wall };
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offsetHours = Number(digits.slice(0, 2));
  const offsetMinutes = Number(digits.slice(2) || '0');
  if (offsetMinutes > 59 || offsetHours * 60 + offsetMinutes > 14 * 60) return refuse(text, `a time: the offset ${zone} is not one (−12:00 to +14:00)`);
  return { ok: true, at: wall - sign * (offsetHours * 60 + offsetMinutes) * 60_000 };
}
