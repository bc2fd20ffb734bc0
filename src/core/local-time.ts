/**
 * Local wall-clock times of a zone, on top of the day calendar of local-date.ts: the wall clock
 * of an instant, a local time back to its instant across DST, and the names chat answers use.
 */
import { dateToDayNumber, dayNumberToDate, getZoneCalendar, isoWeekday, DAY_MS } from './local-date.ts';

/**
 * True for a time zone name this runtime knows (IANA names such as Europe/Berlin, and UTC).
 * @example isTimeZone('Europe/Berlin') // true; isTimeZone('Mars/Olympus') // false
 */
export function isTimeZone(name: string): boolean {
  try {
    getZoneCalendar(name);
    return true;
  } catch {
    return false;
  }
}

/** The local wall clock of an instant in a zone. */
export interface LocalClock {
  date: string;
  dayNumber: number;
  /** ISO weekday: 1 = Monday … 7 = Sunday */
  weekday: number;
  hour: number;
  minute: number;
  /** ms since local midnight */
  msOfDay: number;
}

/**
 * The local date, weekday and time of day of an instant.
 * @example localClockOf(Date.parse('2026-10-26T08:30:00Z'), 'Europe/Berlin') // { date: '2026-10-26', weekday: 1, hour: 9, minute: 30, … }
 */
export function localClockOf(at: number, timeZone: string): LocalClock {
  const local = at + getZoneCalendar(timeZone).offsetAt(at);
  const dayNumber = Math.floor(local / DAY_MS);
  const msOfDay = local - dayNumber * DAY_MS;
  return {
    date: dayNumberToDate(dayNumber),
    dayNumber,
    weekday: isoWeekday(dayNumber),
    hour: Math.floor(msOfDay / 3_600_000),
    minute: Math.floor(msOfDay / 60_000) % 60,
    msOfDay,
  };
}

/**
 * The instant a local wall-clock time happens on a local day. A time the clocks skip (a DST
 * change forward) comes out an hour later, as a wall clock would show it; a time that happens
 * twice (the change back) comes out as its second occurrence.
 * @example instantOfLocalTime(dateToDayNumber('2026-10-26'), 570 * 60_000, 'Europe/Berlin') // Date.parse('2026-10-26T08:30:00Z')
 */
export function instantOfLocalTime(dayNumber: number, msOfDay: number, timeZone: string): number {
  const calendar = getZoneCalendar(timeZone);
  const wall = dayNumber * DAY_MS + msOfDay;
  const guess = wall - calendar.offsetAt(wall);
  return wall - calendar.offsetAt(guess);
}

/**
 * The instant local midnight starts a `YYYY-MM-DD` date in a zone.
 * @example startOfLocalDate('2026-10-26', 'Europe/Berlin') // Date.parse('2026-10-25T23:00:00Z')
 */
export function startOfLocalDate(date: string, timeZone: string): number {
  return getZoneCalendar(timeZone).startOfDay(dateToDayNumber(date));
}

/**
 * A `YYYY-MM-DD` date `days` calendar days later (earlier when negative).
 * @example addDaysToDate('2026-12-30', 4) // '2027-01-03'
 */
export function addDaysToDate(date: string, days: number): string {
  return dayNumberToDate(dateToDayNumber(date) + days);
}

const MONTHS_SHORT = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/**
 * "2 Nov", or "2 Nov 2025" with the year.
 * @example dayMonth('2026-11-02') // '2 Nov'; dayMonth('2025-11-02', true) // '2 Nov 2025'
 */
export function dayMonth(date: string, withYear = false): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return `${day} ${MONTHS_SHORT[month - 1]}${withYear ? ` ${year}` : ''}`;
}

/** The English name of an ISO weekday (1 = Monday). */
export function weekdayName(weekday: number): string {
  return WEEKDAYS[weekday - 1]!;
}

const zoneNameFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * The zone's short name at an instant, as Intl gives it in English ("GMT+1", "EST", "UTC").
 * @example zoneAbbreviation(Date.parse('2026-10-19T07:30:00Z'), 'Europe/Berlin') // 'GMT+2'
 */
export function zoneAbbreviation(at: number, timeZone: string): string {
  let format = zoneNameFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'short' });
    zoneNameFormats.set(timeZone, format);
  }
  return format.formatToParts(at).find((part) => part.type === 'timeZoneName')?.value ?? timeZone;
}
