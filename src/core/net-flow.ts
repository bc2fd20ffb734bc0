/** Arrivals, completions and net flow (arrivals − completions) per ISO week. */
import type { NetFlowWeek, StreamMap, Timeline, Window } from './types.ts';
import { getZoneCalendar } from './local-date.ts';
import { completionsPerDay, countsPerWeek } from './throughput.ts';
import { toTimelines, type FlowInput } from './timeline.ts';
import { windowDays } from './window.ts';

/**
 * Arrivals per local day index of the window (an arrival is the start of lead time).
 * @example
 * arrivalsPerDay(timelines, map, window); // Int32Array [2, 0, 1, …]
 */
export function arrivalsPerDay(timelines: readonly Timeline[], map: StreamMap, window: Window): Int32Array {
  const calendar = getZoneCalendar(map.timeZone);
  const days = windowDays(window, calendar);
  const counts = new Int32Array(days.count);
  for (const t of timelines) {
    if (t.arrived === false || t.arrivedAt < window.from || t.arrivedAt >= window.to) continue;
    counts[calendar.dayNumber(t.arrivedAt) - days.first]++;
  }
  return counts;
}

/**
 * Arrivals, completions and net flow for every ISO week touching the window (zero-filled).
 * Net flow above 0 means work arrives faster than it finishes: WIP grows.
 * @example
 * netFlow(items, map, { from: Date.UTC(2026, 1, 9), to: Date.UTC(2026, 1, 16) });
 * // [{ week: '2026-W07', start: '2026-02-09', arrivals: 5, completions: 3, netFlow: 2 }]
 */
export function netFlow(input: FlowInput, map: StreamMap, window: Window): NetFlowWeek[] {
  const timelines = toTimelines(input, map);
  const days = windowDays(window, getZoneCalendar(map.timeZone));
  const arrivals = countsPerWeek(arrivalsPerDay(timelines, map, window), days);
  const completions = countsPerWeek(completionsPerDay(timelines, map, window), days);
  return arrivals.map((a, i) => ({
    week: a.week,
    start: a.start,
    arrivals: a.count,
    completions: completions[i].count,
    netFlow: a.count - completions[i].count,
  }));
}
