/**
 * Blocked work now: the items in progress whose status at `now` counts as blocked (the map's
 * blocked statuses, as blocked time reads them), with how long each has been blocked in that
 * stage. Items, never people.
 */
import { blockedTime } from './blocked-time.ts';
import { isInProgressAt } from './in-progress.ts';
import { toTimelines, type FlowInput } from './timeline.ts';
import type { StreamMap } from './types.ts';

export interface BlockedItem {
  key: string;
  title: string;
  /** the stage it is blocked in now */
  stage: string;
  /** ms blocked in that stage since the item started, up to `now` */
  blockedMs: number;
}

/**
 * In-progress items blocked at `now`, the longest blocked first; empty when the map names no
 * blocked statuses. Read through `blockedTime`, so whatever that counts as blocked counts here.
 * @example blockedItems(items, map, now)[0] // { key: 'A-9', stage: 'Code review', blockedMs: 259_200_000, … }
 */
export function blockedItems(input: FlowInput, map: StreamMap, now: number): BlockedItem[] {
  const out: BlockedItem[] = [];
  for (const t of toTimelines(input, map)) {
    if (t.startedAt === null || t.startedAt > now || !isInProgressAt(t, now)) continue;
    // blocked during the instant `now` (an open blocked step counts up to now + 1)
    const current = blockedTime([t], map, { from: now, to: now + 1 }, now + 1)[0];
    if (!current) continue;
    const inStage = blockedTime([t], map, { from: t.startedAt, to: now + 1 }, now).find((b) => b.stage === current.stage);
    out.push({ key: t.item.key, title: t.item.title, stage: current.stage, blockedMs: inStage?.blockedMs ?? 0 });
  }
  return out.sort((a, b) => b.blockedMs - a.blockedMs || a.key.localeCompare(b.key));
}
