/**
 * Flow distribution: the share of completions by type (feature, defect, risk,
 * debt) per ISO week or month; flow load: WIP by type at the window end.
 */
import type { DistributionPeriod, DistributionReport, ItemType, StreamMap, Window } from './types.ts';
import { ITEM_TYPES } from './types.ts';
import { dayNumberToDate, getZoneCalendar, isoWeekMondayOf, isoWeekOf, monthOf } from './local-date.ts';
import { toTimelines, type FlowInput } from './timeline.ts';
import { windowDays } from './window.ts';
import { wipByTypeAt } from './wip.ts';

function zeroCounts(): Record<ItemType, number> {
  return { feature: 0, defect: 0, risk: 0, debt: 0 };
}

/**
 * Completions by type per period of the window (zero-filled), totals, shares (0..1) and flow load.
 * @example
 * const d = flowDistribution(items, map, window, 'month');
 * d.periods[0]; // { period: '2026-02', start: '2026-02-01', counts: { feature: 6, defect: 3, risk: 0, debt: 1 }, total: 10 }
 * d.shares.feature; // 0.6
 */
export function flowDistribution(
  input: FlowInput,
  map: StreamMap,
  window: Window,
  granularity: 'week' | 'month' = 'week',
): DistributionReport {
  const timelines = toTimelines(input, map);
  const calendar = getZoneCalendar(map.timeZone);
  const days = windowDays(window, calendar);
  const periodOf = (day: number): { period: string; start: number } =>
    granularity === 'week'
      ? { period: isoWeekOf(day), start: isoWeekMondayOf(day) }
      : (({ month, start }) => ({ period: month, start }))(monthOf(day));

  const periods: DistributionPeriod[] = [];
  // the period entry of each day of the window, by day index
  const ofDay: DistributionPeriod[] = new Array(days.count);
  for (let day = days.first; day <= days.last; day++) {
    const { period, start } = periodOf(day);
    let entry = periods[periods.length - 1];
    if (entry === undefined || entry.period !== period) {
      entry = { period, start: dayNumberToDate(start), counts: zeroCounts(), total: 0 };
      periods.push(entry);
    }
    ofDay[day - days.first] = entry;
  }

  const totals = zeroCounts();
  let total = 0;
  for (const t of timelines) {
    const end = t.completedAt;
    if (end === null || end < window.from || end >= window.to) continue;
    const entry = ofDay[calendar.dayNumber(end) - days.first];
    entry.counts[t.item.type]++;
    entry.total++;
    totals[t.item.type]++;
    total++;
  }
  const shares = zeroCounts();
  for (const type of ITEM_TYPES) shares[type] = total > 0 ? totals[type] / total : 0;
  return { granularity, periods, totals, shares, flowLoad: wipByTypeAt(timelines, map, window.to - 1) };
}
