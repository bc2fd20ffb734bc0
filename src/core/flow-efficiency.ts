/**
 * Flow efficiency: time in touch stages ÷ lead time, per completed item and overall (sum ÷ sum).
 * Time blocked inside a touch stage (a blocked status, flag or label) is wait, not touch.
 */
import { blockedSpans, blockedWithin } from './blocked-spans.ts';
import type { EfficiencyReport, ItemEfficiency, StreamMap, Timeline, Window } from './types.ts';
import { toTimelines, type FlowInput } from './timeline.ts';
import { assertWindow } from './window.ts';

/**
 * Touch time of an item between two instants (its steps in touch stages, clipped), less the
 * time it was blocked there (`blocked`: its blockedSpans, when the map says what blocked is).
 * @example
 * touchTimeBetween(timeline, timeline.arrivedAt, timeline.completedAt!); // ms worked on
 */
export function touchTimeBetween(timeline: Timeline, from: number, to: number, blocked: readonly number[] = []): number {
  let sum = 0;
  for (const step of timeline.steps) {
    if (step.kind !== 'touch') continue;
    const start = Math.max(step.at, from);
    const end = Math.min(step.until ?? to, to);
    if (end > start) sum += end - start - (blocked.length > 0 ? blockedWithin(blocked, start, end) : 0);
  }
  return sum;
}

/**
 * Flow efficiency of the items completed in the window (listed in input order). Lead time runs from arrival to completion.
 * @example
 * flowEfficiency(items, map, window);
 * // { items: [{ key: 'A-1', touchMs: 7200000, leadMs: 28800000, efficiency: 0.25 }], overall: 0.25 }
 */
export function flowEfficiency(input: FlowInput, map: StreamMap, window: Window): EfficiencyReport {
  assertWindow(window);
  const items: ItemEfficiency[] = [];
  let touchSum = 0, leadSum = 0;
  for (const t of toTimelines(input, map, 'flow efficiency')) {
    const end = t.completedAt;
    if (end === null || end < window.from || end >= window.to) continue;
    const start = Math.min(t.arrivedAt, end);
    const leadMs = end - start;
    const touchMs = touchTimeBetween(t, start, end, blockedSpans(t, map));
    items.push({ key: t.item.key, touchMs, leadMs, efficiency: leadMs > 0 ? touchMs / leadMs : 0 });
    touchSum += touchMs;
    leadSum += leadMs;
  }
  return { items, overall: leadSum > 0 ? touchSum / leadSum : null };
}
