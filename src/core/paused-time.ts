/**
 * Pause-aware cycle time (the map's `pauseAwareCycleTime`, off by default): time an item spends
 * back in a backlog stage after it started is a pause, left out of its cycle time and of its age.
 */
import { getZoneCalendar } from './local-date.ts';
import type { Timeline } from './types.ts';

/**
 * The spans `[from, to)` an item spent back in a backlog stage after it started, up to `until`
 * (its completion, or now for an item in progress).
 * @example
 * // started 10, back to the backlog 20–30, then done 40
 * pausedSpans(timeline, 40); // [[20, 30]]
 */
export function pausedSpans(timeline: Timeline, until: number): [number, number][] {
  const { startedAt, steps } = timeline;
  if (startedAt === null) return [];
  const spans: [number, number][] = [];
  for (const step of steps) {
    if (step.kind !== 'backlog' || step.at < startedAt || step.at >= until) continue;
    const to = Math.min(step.until ?? until, until);
    if (to <= step.at) continue;
    const last = spans.at(-1);
    // two backlog stages in a row are one pause
    if (last && last[1] === step.at) last[1] = to;
    else spans.push([step.at, to]);
  }
  return spans;
}

/** The total ms of the spans. */
export function pausedMs(spans: readonly (readonly [number, number])[]): number {
  let total = 0;
  for (const [from, to] of spans) total += to - from;
  return total;
}

/**
 * Whole local days (midnight to midnight in the stream's zone) that lie entirely inside a pause:
 * the calendar days a pause-aware cycle time leaves out.
 * @example
 * // parked Monday 15:00 until Thursday 09:00 (UTC): Tuesday and Wednesday
 * fullyPausedDays([[Date.UTC(2026, 1, 9, 15), Date.UTC(2026, 1, 12, 9)]], 'UTC'); // 2
 */
export function fullyPausedDays(spans: readonly (readonly [number, number])[], timeZone: string): number {
  const calendar = getZoneCalendar(timeZone);
  let days = 0;
  for (const [from, to] of spans) {
    const fromDay = calendar.dayNumber(from);
    const firstFull = calendar.startOfDay(fromDay) === from ? fromDay : fromDay + 1;
    const lastFull = calendar.dayNumber(to) - 1;
    days += Math.max(0, lastFull - firstFull + 1);
  }
  return days;
}
