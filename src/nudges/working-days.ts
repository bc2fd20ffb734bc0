/** Working days (Monday to Friday) in a time zone, for "one reminder after 2 working days". */
import { DateTime } from 'luxon';

/**
 * The instant `days` working days after `at`: the same local time, skipping Saturdays and Sundays.
 * @example addWorkingDays(Date.parse('2026-11-06T10:00:00Z'), 2, 'UTC') // Tuesday 10 Nov, 10:00 (a Friday + 2)
 */
export function addWorkingDays(at: number, days: number, timeZone: string): number {
  let date = DateTime.fromMillis(at, { zone: timeZone });
  let left = days;
  while (left > 0) {
    date = date.plus({ days: 1 });
    if (date.weekday <= 5) left--;
  }
  return date.toMillis();
}
