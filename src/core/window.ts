/**
 * The local days and ISO weeks a report window covers. A window is
 * [from, to) in epoch ms; its days run from the local date of `from` to the
 * local date of the last instant before `to`.
 */
import type { Window } from './types.ts';
import { isoWeekMondayOf, type ZoneCalendar } from './local-date.ts';

export interface WindowDays {
  /** day number of the first local day */
  first: number;
  /** day number of the last local day (inclusive) */
  last: number;
  /** number of local days; 0 for an empty window */
  count: number;
}

/**
 * Throws a RangeError naming the problem when a window is not a finite, non-empty range.
 * @example
 * assertWindow({ from: 0, to: 1 }); // ok
 * assertWindow({ from: 5, to: 1 }); // throws: "Window ends before it starts …"
 */
export function assertWindow(window: Window): void {
  if (!Number.isFinite(window.from) || !Number.isFinite(window.to)) {
    throw new RangeError(`Window ${window.from}..${window.to} is not a pair of epoch milliseconds: pass finite numbers.`);
  }
  if (window.to <= window.from) {
    throw new RangeError(
      `Window ends before it starts (from ${new Date(window.from).toISOString()}, to ${new Date(window.to).toISOString()}): make "to" later than "from".`,
    );
  }
}

/**
 * Local days of a window.
 * @example
 * windowDays({ from: Date.UTC(2026, 0, 1), to: Date.UTC(2026, 0, 8) }, getZoneCalendar('UTC')).count; // 7
 */
export function windowDays(window: Window, calendar: ZoneCalendar): WindowDays {
  assertWindow(window);
  const first = calendar.dayNumber(window.from);
  const last = calendar.dayNumber(window.to - 1);
  return { first, last, count: last - first + 1 };
}

/**
 * Mondays (day numbers) of the ISO weeks that touch a window's days, ascending.
 * @example
 * windowMondays({ first: 20454, last: 20460, count: 7 }); // two Mondays when the days span two weeks
 */
export function windowMondays(days: WindowDays): number[] {
  const out: number[] = [];
  for (let m = isoWeekMondayOf(days.first); m <= days.last; m += 7) out.push(m);
  return out;
}

/**
 * Whether an instant lies inside a window (`to` exclusive).
 * @example
 * isInWindow(5, { from: 0, to: 5 }); // false
 */
export function isInWindow(at: number, window: Window): boolean {
  return at >= window.from && at < window.to;
}

/**
 * The whole ISO weeks (Monday 00:00 to Monday 00:00 in the calendar's zone) inside a window:
 * what weekly counts are drawn and judged on, since a week in progress, or one the window cuts,
 * reads low. The window as given when it holds no whole week.
 * @example
 * // Wednesday 26 Aug – Tuesday 24 Nov 2026 → Monday 31 Aug – Monday 23 Nov (12 weeks)
 * completeIsoWeeks({ from, to }, getZoneCalendar('Europe/Berlin'));
 */
export function completeIsoWeeks(window: Window, calendar: ZoneCalendar): Window {
  const firstMonday = isoWeekMondayOf(calendar.dayNumber(window.from));
  const from = calendar.startOfDay(firstMonday) < window.from ? calendar.startOfDay(firstMonday + 7) : calendar.startOfDay(firstMonday);
  const to = calendar.startOfDay(isoWeekMondayOf(calendar.dayNumber(window.to)));
  return from < to ? { from, to } : window;
}
