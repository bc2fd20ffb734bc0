/**
 * When an item counts as work in progress: from its start (first entry into a
 * wait or touch stage) until it enters a done stage; leaving done makes it in
 * progress again. WIP, aging and flow load all use this one definition.
 */
import type { Timeline, TimelineStep } from './types.ts';

/**
 * The in-progress intervals of an item as flat pairs `[start, end, start, end, …]`
 * (end exclusive; `Infinity` while still in progress).
 * @example
 * // started 10, done 20, reopened 30, done 40
 * inProgressIntervals(timeline); // [10, 20, 30, 40]
 */
export function inProgressIntervals(timeline: Timeline): number[] {
  const out: number[] = [];
  forEachInProgressInterval(timeline, (start, end) => out.push(start, end));
  return out;
}

/**
 * Calls `visit(start, end)` for each in-progress interval, in order, without allocating.
 * @example
 * forEachInProgressInterval(timeline, (start, end) => total += Math.min(end, now) - start);
 */
export function forEachInProgressInterval(timeline: Timeline, visit: (start: number, end: number) => void): void {
  const { startedAt, steps } = timeline;
  if (startedAt === null) return;
  let open: number | null = startedAt;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    if (step.at < startedAt || step.kind !== 'done') continue;
    if (open !== null) {
      if (step.at > open) visit(open, step.at);
      open = null;
    }
    const next = steps[i + 1];
    const staysDone = next !== undefined && next.kind === 'done' && next.at === step.until;
    if (step.until !== null && !staysDone) open = step.until;
  }
  if (open !== null) visit(open, Number.POSITIVE_INFINITY);
}

/**
 * Whether an item is in progress at an instant.
 * @example
 * isInProgressAt(timeline, 15); // true for the item above; false at 25
 */
export function isInProgressAt(timeline: Timeline, at: number): boolean {
  let inside = false;
  forEachInProgressInterval(timeline, (start, end) => {
    if (start <= at && at < end) inside = true;
  });
  return inside;
}

/**
 * The step an item is in at an instant; null before its first step or while in a status the map does not name.
 * @example
 * stepAt(timeline, 15)?.stage; // 'Doing'
 */
export function stepAt(timeline: Timeline, at: number): TimelineStep | null {
  const steps = timeline.steps;
  for (let i = steps.length - 1; i >= 0; i--) {
    const step = steps[i];
    if (step.at <= at) return step.until === null || at < step.until ? step : null;
  }
  return null;
}
