/**
 * Little's Law check: average WIP versus throughput × average cycle time over
 * the same window. A ratio near 1 means the numbers are consistent; far from 1
 * means work is piling up, being abandoned, or the window is not steady.
 */
import type { LittlesLawReport, StreamMap, Window } from './types.ts';
import { cycleTime } from './cycle-time.ts';
import { completionsPerDay } from './throughput.ts';
import { toTimelines, type FlowInput } from './timeline.ts';
import { wipPerDayCounts } from './wip.ts';

/**
 * The check from its three averages: ratio = averageWip ÷ (throughputPerDay × averageCycleTimeDays), null when undefined.
 * @example
 * littlesLawFromAverages(10, 2, 5); // { averageWip: 10, throughputPerDay: 2, averageCycleTimeDays: 5, ratio: 1 }
 */
export function littlesLawFromAverages(averageWip: number, throughputPerDay: number, averageCycleTimeDays: number): LittlesLawReport {
  const expected = throughputPerDay * averageCycleTimeDays;
  return { averageWip, throughputPerDay, averageCycleTimeDays, ratio: expected > 0 ? averageWip / expected : null };
}

/**
 * Little's Law over a window: WIP averaged over the end of each local day, completions per day,
 * and the mean elapsed cycle time of the items completed in the window (elapsed days, as the law needs).
 * @example
 * littlesLaw(items, map, { from: Date.UTC(2026, 0, 1), to: Date.UTC(2026, 3, 1) }).ratio; // e.g. 1.08
 */
export function littlesLaw(input: FlowInput, map: StreamMap, window: Window): LittlesLawReport {
  const timelines = toTimelines(input, map);
  const wip = wipPerDayCounts(timelines, map, window);
  const done = completionsPerDay(timelines, map, window);
  let wipSum = 0, doneSum = 0;
  for (let i = 0; i < wip.length; i++) { wipSum += wip[i]; doneSum += done[i]; }
  const cycle = cycleTime(timelines, map, window, 'elapsed');
  const averageCycle = cycle.count > 0 ? cycle.items.reduce((s, i) => s + i.days, 0) / cycle.count : 0;
  return littlesLawFromAverages(wip.length > 0 ? wipSum / wip.length : 0, wip.length > 0 ? doneSum / wip.length : 0, averageCycle);
}
