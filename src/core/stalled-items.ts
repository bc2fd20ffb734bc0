/**
 * Stalled work: an item in progress whose status has not changed for `afterDays` days or more.
 * Items, never people.
 */
import { isInProgressAt, stepAt } from './in-progress.ts';
import { toTimelines, type FlowInput } from './timeline.ts';
import type { StreamMap } from './types.ts';

const DAY_MS = 86_400_000;

/** The default of a stream that does not set `stalledAfterDays`. */
export const DEFAULT_STALLED_AFTER_DAYS = 5;

export interface StalledItem {
  key: string;
  title: string;
  stage: string;
  /** whole days since its last status change */
  idleDays: number;
  /** epoch ms of its last status change */
  since: number;
}

/**
 * In-progress items with no status change for at least `afterDays` whole days at `now`,
 * the longest idle first.
 * @example stalledItems(items, map, now, 5)[0] // { key: 'A-9', stage: 'Code review', idleDays: 8, … }
 */
export function stalledItems(input: FlowInput, map: StreamMap, now: number, afterDays: number = map.stalledAfterDays ?? DEFAULT_STALLED_AFTER_DAYS): StalledItem[] {
  const out: StalledItem[] = [];
  for (const t of toTimelines(input, map, 'list of stalled items')) {
    if (t.startedAt === null || t.startedAt > now || (t.completedAt !== null && t.completedAt <= now) || !isInProgressAt(t, now)) continue;
    const step = stepAt(t, now);
    if (!step) continue;
    const idleDays = Math.floor((now - step.at) / DAY_MS);
    if (idleDays >= afterDays) out.push({ key: t.item.key, title: t.item.title, stage: step.stage, idleDays, since: step.at });
  }
  return out.sort((a, b) => b.idleDays - a.idleDays || a.key.localeCompare(b.key));
}
