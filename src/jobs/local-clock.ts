/** The local date and minute of the day of an instant in a time zone (DST-correct). */
import { localClockOf } from '../core/index.ts';

/**
 * @example localClock(Date.parse('2026-10-26T08:30:00Z'), 'Europe/Berlin') // { date: '2026-10-26', minute: 570 }
 */
export function localClock(at: number, timeZone: string): { date: string; minute: number } {
  const local = localClockOf(at, timeZone);
  return { date: local.date, minute: local.hour * 60 + local.minute };
}

/** "07:00" → 420. */
export function minuteOfDay(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
}
