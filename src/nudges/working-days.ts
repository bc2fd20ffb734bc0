/** Working days (Monday to Friday) in a time zone, for "one reminder after 2 working days". */
import { instantOfLocalTime, isoWeekday, localClockOf } from '../core/index.ts';

/**
 * The instant `days` working days after `at`: the same local time, skipping Saturdays and Sundays.
 * @example addWorkingDays(Date.parse('2026-11-06T10:00:00Z'), 2, 'UTC') // Tuesday 10 Nov, 10:00 (a Friday + 2)
 */
export function addWorkingDays(at: number, days: number, timeZone: string): number {
  const local = localClockOf(at, timeZone);
  let day = local.dayNumber;
  let left = days;
  while (left > 0) {
    day += 1;
    if (isoWeekday(day) <= 5) left--;
  }
  return instantOfLocalTime(day, local.msOfDay, timeZone);
}
