/**
 * Blocked work now: the items in progress whose status at `now` counts as blocked (the map's
 * blocked statuses, flags and labels, as blocked time reads them), with how long each has been blocked in that
 * stage. Items, never people.
 */
import { blockedSpans, blockedWithin, hasBlockedSettings, isBlockedAt } from './blocked-spans.ts';
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
 * In-progress items blocked at `now`, the longest blocked first; empty when the map says nothing
 * about blocked. Read from the item's blocked spans (statuses, flags, labels), as blocked time is.
 * @example blockedItems(items, map, now)[0] // { key: 'A-9', stage: 'Code review', blockedMs: 259_200_000, … }
 */
export function blockedItems(input: FlowInput, map: StreamMap, now: number): BlockedItem[] {
  if (!hasBlockedSettings(map)) return [];
  const out: BlockedItem[] = [];
  for (const t of toTimelines(input, map, 'list of blocked items')) {
    if (t.startedAt === null || t.startedAt > now || !isInProgressAt(t, now)) continue;
    const spans = blockedSpans(t, map);
    if (!isBlockedAt(spans, now)) continue;
    // the stage it is in now (a wait or touch stage: blocked time counts nowhere else)
    const current = t.steps.find((step) => step.at <= now && now < (step.until ?? Number.POSITIVE_INFINITY));
    if (!current || (current.kind !== 'wait' && current.kind !== 'touch')) continue;
    let blockedMs = 0;
    for (const step of t.steps) {
      if (step.stage !== current.stage) continue;
      blockedMs += blockedWithin(spans, Math.max(step.at, t.startedAt), Math.min(step.until ?? now, now));
    }
    out.push({ key: t.item.key, title: t.item.title, stage: current.stage, blockedMs });
  }
  return out.sort((a, b) => b.blockedMs - a.blockedMs || a.key.localeCompare(b.key));
}
