/**
 * When a channel's weekly check-in is due: its day and time in its time zone (src/core/local-date.ts, so a
 * daylight-saving change moves the UTC time, not the local one). Default Monday 09:30 in the
 * stream's time zone; `off` switches it off.
 */
import { instantOfLocalTime, isoWeekMondayOf, isoWeekOf, isTimeZone, localClockOf } from '../core/index.ts';
import type { ChannelBinding } from '../store/channel-bindings.ts';

export const CHECKIN_DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type CheckinDay = (typeof CHECKIN_DAYS)[number];
export const DEFAULT_CHECKIN = { day: 'monday' as CheckinDay, time: '09:30' };
/** A check-in missed by more than this (every replica down) is skipped, not posted late. */
export const CHECKIN_GRACE_MS = 12 * 3_600_000;

export interface CheckinSchedule {
  day: CheckinDay;
  /** HH:MM, 24-hour */
  time: string;
  timeZone: string;
}

/** The channel's schedule, or null when its check-in is switched off. */
export function checkinScheduleOf(binding: Pick<ChannelBinding, 'checkinDay' | 'checkinTime' | 'timezone'>, streamTimeZone: string): CheckinSchedule | null {
  if (binding.checkinDay === 'off') return null;
  const day = (CHECKIN_DAYS as readonly string[]).includes(binding.checkinDay ?? '') ? (binding.checkinDay as CheckinDay) : DEFAULT_CHECKIN.day;
  const time = /^([01]\d|2[0-3]):[0-5]\d$/.test(binding.checkinTime ?? '') ? binding.checkinTime! : DEFAULT_CHECKIN.time;
  const zone = binding.timezone && isTimeZone(binding.timezone) ? binding.timezone : streamTimeZone;
  return { day, time, timeZone: zone };
}

/** The check-in instant of the ISO week that contains `at` (in the schedule's zone). */
export function checkinInstantOfWeek(schedule: CheckinSchedule, at: number): { at: number; week: string } {
  const local = localClockOf(at, schedule.timeZone);
  const [hour, minute] = schedule.time.split(':').map(Number) as [number, number];
  const day = isoWeekMondayOf(local.dayNumber) + CHECKIN_DAYS.indexOf(schedule.day);
  return { at: instantOfLocalTime(day, (hour * 60 + minute) * 60_000, schedule.timeZone), week: isoWeekOf(local.dayNumber) };
}

/**
 * Whether the check-in is due at `now` (from its local day and time, for 12 hours), and the
 * period it belongs to (the ISO week), which the job claims so it runs once.
 * @example
 * checkinDue({ day: 'monday', time: '09:30', timeZone: 'Europe/Berlin' }, Date.parse('2026-10-26T08:30:00Z'));
 * // { due: true, week: '2026-W44', scheduledAt: 1793003400000 }  (09:30 CET, after the clocks went back)
 */
export function checkinDue(schedule: CheckinSchedule, now: number): { due: boolean; week: string; scheduledAt: number } {
  const { at, week } = checkinInstantOfWeek(schedule, now);
  return { due: now >= at && now < at + CHECKIN_GRACE_MS, week, scheduledAt: at };
}

/** The next check-in at or after `now` (for "next check-in: Monday 26 Oct, 09:30 CET"). */
export function nextCheckin(schedule: CheckinSchedule, now: number): number {
  const { at } = checkinInstantOfWeek(schedule, now);
  return at >= now ? at : checkinInstantOfWeek(schedule, now + 7 * 86_400_000).at;
}
