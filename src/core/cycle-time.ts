/**
 * Cycle time: from the first entry into any wait or touch stage to completion.
 * Items completed without ever being in a wait or touch stage are left out. With the map's
 * `pauseAwareCycleTime`, time back in a backlog stage after the start is left out too.
 */
import type { DayCounting, DurationReport, StreamMap, Window } from './types.ts';
import { durationReport } from './duration-report.ts';
import { toTimelines, type FlowInput } from './timeline.ts';
import { pausedSpans } from './paused-time.ts';

/**
 * Cycle time of every started item completed inside the window, in completion order, with percentiles.
 * @example
 * const report = cycleTime(items, map, { from: Date.UTC(2026, 0, 1), to: Date.UTC(2026, 3, 1) }, 'elapsed');
 * report.items[0].days; // e.g. 2.5 elapsed days
 */
export function cycleTime(input: FlowInput, map: StreamMap, window: Window, days: DayCounting = 'calendar'): DurationReport {
  return durationReport(toTimelines(input, map), map, window, days, (t) => t.startedAt, map.pauseAwareCycleTime === true ? pausedSpans : undefined);
}
