/**
 * The two ways of counting a duration in days. Durations are kept in ms;
 * reports use calendar-inclusive days unless elapsed days are asked for.
 */
import type { DayCounting } from './types.ts';
import { DAY_MS, getZoneCalendar } from './local-date.ts';

/**
 * Calendar-inclusive days: local end date − local start date + 1 (ActionableAgile's count).
 * Something started and finished on the same local day took 1 day.
 * @example
 * // started Monday 17:00, done Tuesday 09:00 in Berlin
 * calendarDaysInclusive(Date.UTC(2026, 1, 9, 16), Date.UTC(2026, 1, 10, 8), 'Europe/Berlin'); // 2
 */
export function calendarDaysInclusive(start: number, end: number, timeZone: string): number {
  const calendar = getZoneCalendar(timeZone);
  return calendar.dayNumber(end) - calendar.dayNumber(start) + 1;
}

/**
 * Elapsed fractional days: (end − start) / 24 h.
 * @example
 * elapsedDays(0, 36 * 3_600_000); // 1.5
 */
export function elapsedDays(start: number, end: number): number {
  return (end - start) / DAY_MS;
}

/**
 * Days between two instants in the requested counting.
 * @example
 * durationDays(0, 3_600_000, 'calendar', 'UTC'); // 1
 * durationDays(0, 3_600_000, 'elapsed', 'UTC'); // 0.041666…
 */
export function durationDays(start: number, end: number, days: DayCounting, timeZone: string): number {
  return days === 'calendar' ? calendarDaysInclusive(start, end, timeZone) : elapsedDays(start, end);
}
