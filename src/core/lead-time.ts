/** Lead time: from an item's arrival (creation, or first entry into the map's start status) to completion. */
import type { DayCounting, DurationReport, StreamMap, Window } from './types.ts';
import { durationReport } from './duration-report.ts';
import { toTimelines, type FlowInput } from './timeline.ts';

/**
 * Lead time of every item completed inside the window, in completion order, with percentiles.
 * @example
 * const report = leadTime(items, map, { from: Date.UTC(2026, 0, 1), to: Date.UTC(2026, 3, 1) });
 * report.percentiles?.['85']; // e.g. 12: 85% of the items took 12 calendar days or less
 */
export function leadTime(input: FlowInput, map: StreamMap, window: Window, days: DayCounting = 'calendar'): DurationReport {
  return durationReport(toTimelines(input, map), map, window, days, (t) => t.arrivedAt);
}
