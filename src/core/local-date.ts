/**
 * Local calendar dates of a value stream's time zone, fast.
 *
 * Intl is slow (microseconds per call), so the UTC offset of a zone is looked
 * up once per UTC day and cached; a day with a DST change caches the exact
 * instant of the change. Day numbers count days since 1970-01-01 (local), and
 * their `YYYY-MM-DD` strings are cached too.
 */

/** Milliseconds in a 24-hour day. */
export const DAY_MS = 86_400_000;

/** A time zone's calendar: local day numbers and dates of instants, and local midnights. */
export interface ZoneCalendar {
  readonly timeZone: string;
  /** UTC offset in ms at an instant (local wall clock − UTC). */
  offsetAt(at: number): number;
  /** Local day number (days since 1970-01-01 in this zone) of an instant. */
  dayNumber(at: number): number;
  /** Local date `YYYY-MM-DD` of an instant. */
  date(at: number): string;
  /** The instant of local midnight that starts a local day number. */
  startOfDay(dayNumber: number): number;
}

/** An offset that is constant over a UTC day (number), or changes once at `change`. */
type DayOffset = number | { change: number; before: number; after: number };

const calendars = new Map<string, ZoneCalendar>();
const last: { timeZone: string | null; calendar: ZoneCalendar | null } = { timeZone: null, calendar: null };

function createFormatter(timeZone: string): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    throw new RangeError(
      `Unknown time zone "${timeZone}": use an IANA time zone name such as "Europe/Berlin", "America/New_York" or "UTC".`,
    );
  }
}

function intlOffset(format: Intl.DateTimeFormat, at: number): number {
  const seconds = Math.floor(at / 1000) * 1000;
  let y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  for (const part of format.formatToParts(seconds)) {
    const v = Number(part.value);
    switch (part.type) {
      case 'year': y = v; break;
      case 'month': mo = v; break;
      case 'day': d = v; break;
      case 'hour': h = v === 24 ? 0 : v; break;
      case 'minute': mi = v; break;
      case 'second': s = v; break;
    }
  }
  return Date.UTC(y, mo - 1, d, h, mi, s) - seconds;
}

/** UTC days cached in typed arrays: 1870-01-01 (−36,524) up to 2170. */
const CACHE_FIRST_DAY = -36_524;
const CACHE_DAYS = 109_573;
/** Marks a cached day whose offset changes during the day (see `changes`). */
const CHANGES = Number.POSITIVE_INFINITY;

function createCalendar(timeZone: string): ZoneCalendar {
  const format = createFormatter(timeZone);
  const fast = new Float64Array(CACHE_DAYS).fill(Number.NaN);
  const slow = new Map<number, DayOffset>();

  const computeDay = (utcDay: number): DayOffset => {
    const start = utcDay * DAY_MS;
    const before = intlOffset(format, start);
    const after = intlOffset(format, start + DAY_MS - 1000);
    if (before === after) return before;
    // Binary search the first second with the new offset.
    let lo = start, hi = start + DAY_MS - 1000;
    while (hi - lo > 1000) {
      const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
      if (intlOffset(format, mid) === before) lo = mid;
      else hi = mid;
    }
    return { change: hi, before, after };
  };

  const slowOffset = (at: number, utcDay: number): number => {
    let o = slow.get(utcDay);
    if (o === undefined) {
      o = computeDay(utcDay);
      slow.set(utcDay, o);
      const i = utcDay - CACHE_FIRST_DAY;
      if (i >= 0 && i < CACHE_DAYS) fast[i] = typeof o === 'number' ? o : CHANGES;
    }
    if (typeof o === 'number') return o;
    return at < o.change ? o.before : o.after;
  };

  const offsetAt = (at: number): number => {
    const utcDay = Math.floor(at / DAY_MS);
    const o = fast[utcDay - CACHE_FIRST_DAY];
    // NaN (not cached yet), Infinity (a DST day) and out-of-range (undefined) take the slow path
    return o < CHANGES ? o : slowOffset(at, utcDay);
  };
  const dayNumber = (at: number): number => Math.floor((at + offsetAt(at)) / DAY_MS);

  return {
    timeZone,
    offsetAt,
    dayNumber,
    date: (at) => dayNumberToDate(dayNumber(at)),
    startOfDay(day) {
      // the first instant whose local date is `day`: local midnight under one of the offsets
      // around it, or the end of a DST gap that swallowed midnight
      const wall = day * DAY_MS;
      const isStart = (c: number): boolean => dayNumber(c) === day && dayNumber(c - 1) < day;
      let best = Number.NaN;
      for (const probe of [wall - DAY_MS, wall, wall + DAY_MS, wall - offsetAt(wall)]) {
        const c = wall - offsetAt(probe);
        if (isStart(c) && !(c >= best)) best = c;
      }
      if (!Number.isNaN(best)) return best;
      let lo = wall - 2 * DAY_MS, hi = wall + 2 * DAY_MS;
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (dayNumber(mid) >= day) hi = mid;
        else lo = mid;
      }
      return hi;
    },
  };
}

/**
 * The cached calendar of an IANA time zone. Throws a RangeError naming the zone when it is unknown.
 * @example
 * const cal = getZoneCalendar('Europe/Berlin');
 * cal.date(Date.UTC(2026, 2, 28, 23, 30)); // '2026-03-29'
 */
export function getZoneCalendar(timeZone: string): ZoneCalendar {
  if (last.timeZone === timeZone) return last.calendar!;
  let calendar = calendars.get(timeZone);
  if (calendar === undefined) {
    calendar = createCalendar(timeZone);
    calendars.set(timeZone, calendar);
  }
  last.timeZone = timeZone;
  last.calendar = calendar;
  return calendar;
}

/**
 * The local date `YYYY-MM-DD` of an instant in a time zone.
 * @example
 * localDate(Date.UTC(2026, 0, 1, 23, 30), 'Europe/Berlin'); // '2026-01-02'
 */
export function localDate(at: number, timeZone: string): string {
  return (last.timeZone === timeZone ? last.calendar! : getZoneCalendar(timeZone)).date(at);
}

/**
 * The local day number (days since 1970-01-01, local) of an instant.
 * @example
 * localDayNumber(Date.UTC(1970, 0, 2, 12), 'UTC'); // 1
 */
export function localDayNumber(at: number, timeZone: string): number {
  return (last.timeZone === timeZone ? last.calendar! : getZoneCalendar(timeZone)).dayNumber(at);
}

const dateStrings: (string | undefined)[] = new Array(CACHE_DAYS);
const otherDateStrings = new Map<number, string>();

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Civil date of a day number (H. Hinnant's days_from_civil inverse). */
function civil(day: number): { year: number; month: number; day: number } {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d };
}

/**
 * `YYYY-MM-DD` of a day number.
 * @example
 * dayNumberToDate(0); // '1970-01-01'
 */
export function dayNumberToDate(day: number): string {
  const i = day - CACHE_FIRST_DAY;
  const inRange = i >= 0 && i < CACHE_DAYS;
  let s = inRange ? dateStrings[i] : otherDateStrings.get(day);
  if (s === undefined) {
    const c = civil(day);
    s = `${pad(c.year, 4)}-${pad(c.month, 2)}-${pad(c.day, 2)}`;
    if (inRange) dateStrings[i] = s;
    else otherDateStrings.set(day, s);
  }
  return s;
}

/**
 * Day number of a `YYYY-MM-DD` date. Throws a RangeError for anything else.
 * @example
 * dateToDayNumber('1970-01-11'); // 10
 */
export function dateToDayNumber(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || Number.isNaN(ms) || dayNumberToDate(ms / DAY_MS) !== date) {
    throw new RangeError(`Invalid date "${date}": expected a calendar date written YYYY-MM-DD, e.g. 2026-02-09.`);
  }
  return ms / DAY_MS;
}

/**
 * ISO weekday of a day number: 1 = Monday … 7 = Sunday.
 * @example
 * isoWeekday(0); // 4: 1970-01-01 was a Thursday
 */
export function isoWeekday(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

/**
 * The Monday (day number) of the ISO week holding a day number.
 * @example
 * dayNumberToDate(isoWeekMondayOf(dateToDayNumber('2027-01-01'))); // '2026-12-28'
 */
export function isoWeekMondayOf(day: number): number {
  return day - (isoWeekday(day) - 1);
}

const weekLabels = new Map<number, string>();

/**
 * ISO week label (`2026-W07`) of a day number.
 * @example
 * isoWeekOf(dateToDayNumber('2027-01-01')); // '2026-W53'
 */
export function isoWeekOf(day: number): string {
  const monday = isoWeekMondayOf(day);
  let label = weekLabels.get(monday);
  if (label === undefined) {
    const thursday = monday + 3;
    const year = civil(thursday).year;
    const jan1 = Date.UTC(year, 0, 1) / DAY_MS;
    label = `${pad(year, 4)}-W${pad(Math.floor((thursday - jan1) / 7) + 1, 2)}`;
    weekLabels.set(monday, label);
  }
  return label;
}

/**
 * ISO week label of a local date.
 * @example
 * isoWeek('2026-12-31'); // '2026-W53'
 * isoWeek('2026-02-09'); // '2026-W07'
 */
export function isoWeek(date: string): string {
  return isoWeekOf(dateToDayNumber(date));
}

/**
 * The Monday of the ISO week of a local date.
 * @example
 * isoWeekMonday('2027-01-03'); // '2026-12-28'
 */
export function isoWeekMonday(date: string): string {
  return dayNumberToDate(isoWeekMondayOf(dateToDayNumber(date)));
}

/**
 * The month (`YYYY-MM`) of a day number, and the day number of its first day.
 * @example
 * monthOf(dateToDayNumber('2026-02-17')); // { month: '2026-02', start: dateToDayNumber('2026-02-01') }
 */
export function monthOf(day: number): { month: string; start: number } {
  const c = civil(day);
  return { month: `${pad(c.year, 4)}-${pad(c.month, 2)}`, start: Date.UTC(c.year, c.month - 1, 1) / DAY_MS };
}
