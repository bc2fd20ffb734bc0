/**
 * Aging WIP: each item in progress at `now`, its current stage and its age
 * (calendar-inclusive days since it started) against the cycle-time
 * percentiles of recent completions. Flags fire once per item and threshold. With the map's
 * `pauseAwareCycleTime`, whole days parked back in a backlog stage are left out of the age,
 * and an item parked now is marked paused. Items blocked now (a blocked status, flag or label)
 * are marked and listed first.
 */
import { blockedSpans, hasBlockedSettings, isBlockedAt } from './blocked-spans.ts';
import type { AgingItem, AgingReport, AgingThreshold, Percentiles, StreamMap } from './types.ts';
import { getZoneCalendar } from './local-date.ts';
import { isInProgressAt, stepAt } from './in-progress.ts';
import { toTimelines, type FlowInput } from './timeline.ts';
import { fullyPausedDays, pausedSpans } from './paused-time.ts';

/** Shown as the stage of an item whose current status the map does not name. */
export const UNKNOWN_STAGE = '(status not in the map)';

/**
 * Items in progress at `now`: blocked ones first (when the map says what blocked is), then the
 * others, each oldest first. `beyond` is the highest of the 85th/95th
 * percentiles the age has passed (strictly greater). Pass calendar-day cycle-time percentiles.
 * @example
 * agingWip(items, map, now, { '50': 3, '70': 5, '85': 8, '95': 13 }).items[0];
 * // { key: 'A-7', type: 'feature', title: '…', stage: 'Code review', startedAt: …, ageDays: 9, beyond: '85' }
 */
export function agingWip(input: FlowInput, map: StreamMap, now: number, cyclePercentiles: Percentiles | null): AgingReport {
  const calendar = getZoneCalendar(map.timeZone);
  const today = calendar.dayNumber(now);
  const items: AgingItem[] = [];
  const withBlocked = hasBlockedSettings(map);
  for (const t of toTimelines(input, map, 'aging chart')) {
    if (t.startedAt === null || t.startedAt > now || (t.completedAt !== null && t.completedAt <= now) || !isInProgressAt(t, now)) continue;
    const pauses = map.pauseAwareCycleTime === true ? pausedSpans(t, now) : [];
    const pausedDays = pauses.length > 0 ? fullyPausedDays(pauses, map.timeZone) : 0;
    const ageDays = today - calendar.dayNumber(t.startedAt) + 1 - pausedDays;
    let beyond: AgingThreshold | null = null;
    if (cyclePercentiles !== null) {
      if (ageDays > cyclePercentiles['95']) beyond = '95';
      else if (ageDays > cyclePercentiles['85']) beyond = '85';
    }
    const step = stepAt(t, now);
    items.push({
      key: t.item.key,
      type: t.item.type,
      title: t.item.title,
      stage: step?.stage ?? UNKNOWN_STAGE,
      startedAt: t.startedAt,
      ageDays,
      beyond,
      ...(withBlocked && { blocked: isBlockedAt(blockedSpans(t, map), now) }),
      ...(map.pauseAwareCycleTime === true && { paused: step?.kind === 'backlog', pausedDays }),
    });
  }
  items.sort((a, b) => Number(b.blocked === true) - Number(a.blocked === true) || b.ageDays - a.ageDays || a.startedAt - b.startedAt || (a.key < b.key ? -1 : 1));
  return { percentiles: cyclePercentiles, items };
}

/** Thresholds already flagged, by item key. */
export type AgingFlags = Record<string, AgingThreshold[]>;

export interface NewlyCrossed {
  /** items to alert about now, with the threshold they newly crossed (the highest one) */
  crossed: { item: AgingItem; threshold: AgingThreshold }[];
  /** the flags to keep for next time: items no longer in progress are dropped */
  flags: AgingFlags;
}

/**
 * Which items crossed a threshold since the previous flags, so each item is flagged once per threshold.
 * Crossing the 95th marks the 85th as flagged too (one alert, the highest threshold).
 * @example
 * const first = newlyCrossed({}, report);          // A-7 crossed '85'
 * const again = newlyCrossed(first.flags, report);  // nothing: already flagged
 */
export function newlyCrossed(previousFlags: AgingFlags, report: AgingReport): NewlyCrossed {
  const crossed: NewlyCrossed['crossed'] = [];
  const flags: AgingFlags = {};
  for (const item of report.items) {
    const before = previousFlags[item.key] ?? [];
    const now: AgingThreshold[] = item.beyond === '95' ? ['85', '95'] : item.beyond === '85' ? ['85'] : [];
    const merged = [...new Set<AgingThreshold>([...before, ...now])].sort() as AgingThreshold[];
    if (item.beyond !== null && !before.includes(item.beyond)) crossed.push({ item, threshold: item.beyond });
    if (merged.length > 0) flags[item.key] = merged;
  }
  return { crossed, flags };
}
