/**
 * Blocked time: time items spent in the map's blocked statuses (`blockedStatuses`, each a status
 * of some stage) or with a blocked flag set (Jira's Flagged field with `blockedWhenFlagged`, a
 * label of `blockedLabels`), counted once where they overlap. It counts inside the stage where it
 * happened (each step clipped); this says how much of each stage's time was blocked.
 */
import { blockedSpans, blockedWithin, hasBlockedSettings } from './blocked-spans.ts';
import { toTimelines, type FlowInput } from './timeline.ts';
import type { StreamMap, Window } from './types.ts';
import { assertWindow } from './window.ts';

export interface StageBlockedTime {
  stage: string;
  /** ms blocked (status or flag) while in this stage, within the window */
  blockedMs: number;
  /** ms in the stage in all, within the window */
  stageMs: number;
  /** blockedMs ÷ stageMs (0..1) */
  share: number;
  /** items blocked at least once in this stage in the window */
  items: number;
}

/**
 * Per stage that has blocked time in the window (steps clipped to it; an open step counts up to
 * `now`), in map order; empty when the map says nothing about blocked.
 * @example blockedTime(items, map, window, now)[0] // { stage: 'Code review', share: 0.4, … }
 */
export function blockedTime(input: FlowInput, map: StreamMap, window: Window, now: number = window.to): StageBlockedTime[] {
  assertWindow(window);
  if (!hasBlockedSettings(map)) return [];
  const stats = new Map<string, { blockedMs: number; stageMs: number; items: Set<string> }>();
  const openEnd = Math.min(window.to, now);
  for (const t of toTimelines(input, map, 'blocked time')) {
    const spans = blockedSpans(t, map);
    for (const step of t.steps) {
      if (step.kind !== 'wait' && step.kind !== 'touch') continue;
      const start = Math.max(step.at, window.from);
      const end = Math.min(step.until ?? openEnd, window.to);
      const ms = end - start;
      if (ms <= 0) continue;
      let stat = stats.get(step.stage);
      if (!stat) {
        stat = { blockedMs: 0, stageMs: 0, items: new Set() };
        stats.set(step.stage, stat);
      }
      stat.stageMs += ms;
      const blocked = spans.length > 0 ? blockedWithin(spans, start, end) : 0;
      if (blocked > 0) {
        stat.blockedMs += blocked;
        stat.items.add(t.item.key);
      }
    }
  }
  return map.stages
    .filter((stage) => (stats.get(stage.name)?.blockedMs ?? 0) > 0)
    .map((stage) => {
      const stat = stats.get(stage.name)!;
      return { stage: stage.name, blockedMs: stat.blockedMs, stageMs: stat.stageMs, share: stat.blockedMs / stat.stageMs, items: stat.items.size };
    });
}
