/**
 * Every report at once for one stream and window, building each item's
 * timeline once and sharing it.
 */
import type { DayCounting, FlowEvent, ReportSet, StreamMap, Timeline, Window, WorkItem } from './types.ts';
import { agingWip } from './aging-wip.ts';
import { cfd } from './cfd.ts';
import { cycleTime } from './cycle-time.ts';
import { DAY_MS, getZoneCalendar } from './local-date.ts';
import { featureFactoryRatio } from './feature-factory-ratio.ts';
import { flowDistribution } from './flow-distribution.ts';
import { flowEfficiency } from './flow-efficiency.ts';
import { dailyThroughputBefore } from './forecast.ts';
import { leadTime } from './lead-time.ts';
import { littlesLawFromAverages } from './littles-law.ts';
import { netFlow } from './net-flow.ts';
import { percentiles } from './percentiles.ts';
import { stageBreakdown } from './stage-breakdown.ts';
import { throughput } from './throughput.ts';
import { valueStreamMap } from './value-stream-map.ts';
import { buildTimelines } from './timeline.ts';
import { wip } from './wip.ts';
import { readXmr, xmrSeriesOf } from './xmr-reading.ts';

/**
 * Statuses the map does not name, with the number of items seen in each, most items first.
 * @example
 * unknownStatusCounts(timelines); // [{ status: 'Blocked', items: 12 }]
 */
export function unknownStatusCounts(timelines: readonly Timeline[]): { status: string; items: number }[] {
  const counts = new Map<string, number>();
  for (const t of timelines) for (const s of t.unknownStatuses) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts].map(([status, items]) => ({ status, items })).sort((a, b) => b.items - a.items || (a.status < b.status ? -1 : 1));
}

/**
 * Compute every report of a stream over a window. Aging compares against the calendar-day
 * cycle-time percentiles of the window's completions; XmR phases start at the logged events.
 * From a windowed history (StreamHistory.from at most the window's start and 90 days before
 * `now`), give its `leftOut`: the CFD's done bands start from it. `unknownStatuses` then counts
 * the statuses of the items read, those that can matter in the window.
 * @example
 * const set = computeReportSet(items, map, events, { from: Date.UTC(2026, 0, 1), to: Date.UTC(2026, 3, 1) }, now, 'calendar');
 * set.cycleTime.percentiles?.['85']; set.stages.constraint?.sentence; set.xmr.leadTime.signals;
 */
export function computeReportSet(
  items: readonly WorkItem[],
  map: StreamMap,
  events: readonly FlowEvent[],
  window: Window,
  now: number,
  days: DayCounting = 'calendar',
  options: { leftOut?: Readonly<Record<string, number>> } = {},
): ReportSet {
  const calendar = getZoneCalendar(map.timeZone);
  const timelines = buildTimelines(items, map);
  // every pass walks the timelines in their own (memory) order; results are sorted afterwards
  const lead = leadTime(timelines, map, window, days);
  const cycle = cycleTime(timelines, map, window, days);
  const through = throughput(timelines, map, window);
  const wipDays = wip(timelines, map, window);

  const wipMean = wipDays.length > 0 ? wipDays.reduce((s, d) => s + d.count, 0) / wipDays.length : 0;
  const cycleMeanElapsed = cycle.count > 0 ? cycle.items.reduce((s, i) => s + i.ms, 0) / cycle.count / DAY_MS : 0;
  const littles = littlesLawFromAverages(wipMean, wipDays.length > 0 ? through.total / wipDays.length : 0, cycleMeanElapsed);

  const calendarCycle = days === 'calendar'
    ? cycle.percentiles
    : percentiles(cycle.items.map((i) => calendar.dayNumber(i.end) - calendar.dayNumber(i.start) + 1));

  const leadAts = lead.items.map((i) => i.end);
  const efficiency = flowEfficiency(timelines, map, window);
  const breakdown = stageBreakdown(timelines, map, window, now);
  const cycleAts = cycle.items.map((i) => i.end);

  return {
    window,
    now,
    days,
    leadTime: lead,
    cycleTime: cycle,
    throughput: through,
    wip: wipDays,
    netFlow: netFlow(timelines, map, window),
    littlesLaw: littles,
    flowEfficiency: efficiency,
    stages: breakdown,
    valueStreamMap: valueStreamMap(timelines, map, window, now, { breakdown, efficiency, ...(days === 'calendar' ? { calendarLeadTime: lead } : {}) }),
    aging: agingWip(timelines, map, now, calendarCycle),
    distribution: flowDistribution(timelines, map, window, 'week'),
    featureFactory: featureFactoryRatio(items),
    cfd: cfd(timelines, map, window, options.leftOut),
    // the one XmR reading (readXmr): lead and cycle time on the log scale, throughput and WIP weekly
    xmr: {
      leadTime: readXmr('leadtime', { values: lead.items.map((i) => i.days), labels: lead.items.map((i) => i.key), ats: leadAts }, events).result,
      cycleTime: readXmr('cycletime', { values: cycle.items.map((i) => i.days), labels: cycle.items.map((i) => i.key), ats: cycleAts }, events).result,
      throughput: readXmr('throughput', xmrSeriesOf('throughput', timelines, map, window), events).result,
      wip: readXmr('wip', xmrSeriesOf('wip', timelines, map, window), events).result,
    },
    forecastThroughput: dailyThroughputBefore(timelines, map, now),
    unknownStatuses: unknownStatusCounts(timelines),
  };
}
