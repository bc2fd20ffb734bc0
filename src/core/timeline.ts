/**
 * An item's timeline: its transitions sorted by timestamp (never by arrival
 * order), exact duplicates once, each status mapped to its stage.
 */
import type { StreamMap, Timeline, TimelineStep, Transition, WorkItem } from './types.ts';
import { getStageLookup, type StageLookup } from './stage-lookup.ts';

/** Sorted by `at`; among equal timestamps, chained so each `from` follows the previous `to` when possible. */
function sortTransitions(transitions: readonly Transition[]): Transition[] {
  const sorted = transitions.slice();
  let ordered = true;
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].at < sorted[i - 1].at) { ordered = false; break; }
  }
  if (!ordered) sorted.sort((a, b) => a.at - b.at);
  const out: Transition[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i + 1;
    while (j < sorted.length && sorted[j].at === sorted[i].at) j++;
    if (j - i === 1) {
      out.push(sorted[i]);
    } else {
      // exact duplicates once, then chain the group
      const group: Transition[] = [];
      for (let k = i; k < j; k++) {
        const t = sorted[k];
        if (!group.some((g) => g.from === t.from && g.to === t.to)) group.push(t);
      }
      let previous = out.length > 0 ? out[out.length - 1].to : null;
      while (group.length > 0) {
        let next = group.findIndex((t) => t.from === previous);
        // no link to the previous status: start from the head of the chain (a `from` no other move leads to)
        if (next < 0) next = group.findIndex((t) => !group.some((o) => o !== t && o.to === t.from));
        if (next < 0) next = 0;
        const [t] = group.splice(next, 1);
        out.push(t);
        previous = t.to;
      }
    }
    i = j;
  }
  return out;
}

interface RawStep { status: string; at: number }

/**
 * Build the timeline of one work item against a value-stream map.
 *
 * - The status before the first transition (its `from`) is a step from the item's creation.
 * - `startedAt`: first entry into a wait or touch stage.
 * - `completedAt`: start of the final run of done stages (null when the item is not done now);
 *   an item that leaves done is in progress again.
 * - `arrivedAt`: creation, or first entry into `map.startStatus` (or a later stage) when set.
 * - Statuses the map does not name are listed in `unknownStatuses` and form no step
 *   (their time counts in no stage), but they end the step before them.
 *
 * @example
 * const map = { name: 'Team', timeZone: 'UTC', stages: [
 *   { name: 'Backlog', kind: 'backlog', statuses: ['To Do'] },
 *   { name: 'Doing', kind: 'touch', statuses: ['In Progress'] },
 *   { name: 'Done', kind: 'done', statuses: ['Done'] } ] };
 * const t = buildTimeline({ key: 'A-1', type: 'feature', title: 'x', parentKey: null, isEpic: false, createdAt: 0,
 *   transitions: [{ from: 'In Progress', to: 'Done', at: 20 }, { from: 'To Do', to: 'In Progress', at: 10 }] }, map);
 * // t.steps → To Do [0,10), In Progress [10,20), Done [20,∞); t.startedAt = 10; t.completedAt = 20
 */
export function buildTimeline(item: WorkItem, map: StreamMap, lookup: StageLookup = getStageLookup(map)): Timeline {
  const transitions = sortTransitions(item.transitions);
  const raw: RawStep[] = [];
  if (transitions.length > 0 && transitions[0].from !== null) {
    raw.push({ status: transitions[0].from, at: Math.min(item.createdAt, transitions[0].at) });
  }
  for (const t of transitions) raw.push({ status: t.to, at: t.at });

  const steps: TimelineStep[] = [];
  const unknown: string[] = [];
  let startedAt: number | null = null;
  let startOrder = -1;
  let arrivedAt: number | null = null;
  if (map.startStatus !== undefined) {
    const start = lookup(map.startStatus);
    startOrder = start ? start.order : Number.POSITIVE_INFINITY;
  }
  const startKey = map.startStatus?.trim().toLowerCase();
  let arrivedByOrder: number | null = null;

  for (let i = 0; i < raw.length; i++) {
    const r = raw[i];
    const until = i + 1 < raw.length ? raw[i + 1].at : null;
    const stage = lookup(r.status);
    if (stage === undefined) {
      if (!unknown.includes(r.status)) unknown.push(r.status);
      continue;
    }
    steps.push({ status: r.status, stage: stage.stage, kind: stage.kind, at: r.at, until });
    if (startedAt === null && (stage.kind === 'wait' || stage.kind === 'touch')) startedAt = r.at;
    if (startKey !== undefined) {
      if (arrivedAt === null && r.status.trim().toLowerCase() === startKey) arrivedAt = r.at;
      if (arrivedByOrder === null && stage.order >= startOrder) arrivedByOrder = r.at;
    }
  }

  let completedAt: number | null = null;
  const lastRaw = raw.length > 0 ? raw[raw.length - 1] : null;
  const last = steps.length > 0 ? steps[steps.length - 1] : null;
  if (last !== null && lastRaw !== null && last.at === lastRaw.at && last.until === null && last.kind === 'done') {
    let k = steps.length - 1;
    while (k > 0 && steps[k - 1].kind === 'done' && steps[k - 1].until === steps[k].at) k--;
    completedAt = steps[k].at;
  }

  let arrived = true;
  if (startKey !== undefined) {
    arrivedAt ??= arrivedByOrder;
    if (arrivedAt === null) arrived = false;
  }
  const firstAt = raw.length > 0 ? raw[0].at : item.createdAt;
  return {
    item,
    steps,
    arrivedAt: arrivedAt ?? Math.min(item.createdAt, firstAt),
    arrived,
    startedAt,
    completedAt,
    unknownStatuses: unknown,
  };
}

/**
 * Timelines of many items (one per item, in the same order).
 * @example
 * buildTimelines(items, map).length === items.length; // true
 */
export function buildTimelines(items: readonly WorkItem[], map: StreamMap): Timeline[] {
  const lookup = getStageLookup(map);
  const out = new Array<Timeline>(items.length);
  for (let i = 0; i < items.length; i++) out[i] = buildTimeline(items[i], map, lookup);
  return out;
}

/** Work items or their timelines: every metric accepts both. */
export type FlowInput = readonly WorkItem[] | readonly Timeline[];

/**
 * Timelines of the input, built only when work items are given.
 * @example
 * toTimelines(buildTimelines(items, map), map); // the same timelines, not rebuilt
 */
export function toTimelines(input: FlowInput, map: StreamMap): readonly Timeline[] {
  if (input.length === 0) return [];
  return 'steps' in input[0] ? (input as readonly Timeline[]) : buildTimelines(input as readonly WorkItem[], map);
}
