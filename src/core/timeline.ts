/**
 * An item's timeline: its transitions sorted by timestamp (never by arrival
 * order), exact duplicates once, each status mapped to its stage.
 */
import type { StreamMap, Timeline, TimelineStep, Transition, WorkItem } from './types.ts';
import { getStageLookup, type StageLookup } from './stage-lookup.ts';
import { requireSteps } from './compact-timeline.ts';

/**
 * Sorted by `at`, exact duplicates once; among equal timestamps, chained so each `from` follows
 * the previous `to` when possible. Returns the input itself when it is already in order without ties.
 */
function sortTransitions(transitions: readonly Transition[]): readonly Transition[] {
  let ordered = true;
  let ties = false;
  for (let i = 1; i < transitions.length; i++) {
    const d = transitions[i].at - transitions[i - 1].at;
    if (d < 0) ordered = false;
    else if (d === 0) ties = true;
  }
  if (ordered && !ties) return transitions;
  const sorted = transitions.slice();
  if (!ordered) {
    sorted.sort((a, b) => a.at - b.at);
    ties = false;
    for (let i = 1; i < sorted.length && !ties; i++) ties = sorted[i].at === sorted[i - 1].at;
    if (!ties) return sorted;
  }
  const out: Transition[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i + 1;
    while (j < sorted.length && sorted[j].at === sorted[i].at) j++;
    if (j - i === 1) {
      out.push(sorted[i]);
    } else {
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

/** Shared by every timeline whose statuses are all known (frozen: never mutate). */
const NO_UNKNOWN_STATUSES = Object.freeze([]) as unknown as string[];

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
  const n = transitions.length;
  // raw step k: the initial status (k = 0, when the first move names where it came from), then each move's target
  const offset = n > 0 && transitions[0].from !== null ? 1 : 0;
  const total = n + offset;
  const steps: TimelineStep[] = [];
  let unknown: string[] = NO_UNKNOWN_STATUSES;
  let startedAt: number | null = null;
  let arrivedAt: number | null = null;
  let arrivedByOrder: number | null = null;
  const startKey = map.startStatus?.trim().toLowerCase();
  let startOrder = Number.POSITIVE_INFINITY;
  if (map.startStatus !== undefined) startOrder = lookup(map.startStatus)?.order ?? Number.POSITIVE_INFINITY;
  let lastKnown = false;

  for (let k = 0; k < total; k++) {
    const t = transitions[k - offset];
    const status = k < offset ? (transitions[0].from as string) : t.to;
    const at = k < offset ? Math.min(item.createdAt, transitions[0].at) : t.at;
    const until = k + 1 < total ? transitions[k + 1 - offset].at : null;
    const stage = lookup(status);
    if (stage === undefined) {
      if (unknown === NO_UNKNOWN_STATUSES) unknown = [status];
      else if (!unknown.includes(status)) unknown.push(status);
      lastKnown = false;
      continue;
    }
    lastKnown = true;
    steps.push({ status, stage: stage.stage, kind: stage.kind, at, until });
    if (startedAt === null && (stage.kind === 'wait' || stage.kind === 'touch')) startedAt = at;
    if (startKey !== undefined) {
      if (arrivedAt === null && status.trim().toLowerCase() === startKey) arrivedAt = at;
      if (arrivedByOrder === null && stage.order >= startOrder) arrivedByOrder = at;
    }
  }

  let completedAt: number | null = null;
  if (lastKnown && steps[steps.length - 1].kind === 'done') {
    let k = steps.length - 1;
    while (k > 0 && steps[k - 1].kind === 'done' && steps[k - 1].until === steps[k].at) k--;
    completedAt = steps[k].at;
  }

  let arrived = true;
  if (startKey !== undefined) {
    arrivedAt ??= arrivedByOrder;
    if (arrivedAt === null) arrived = false;
  }
  const firstAt = total > 0 ? (offset === 1 ? Math.min(item.createdAt, transitions[0].at) : transitions[0].at) : item.createdAt;
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
 * Timelines of the input, built only when work items are given. `needsSteps` names a measure that
 * reads every stage an item passed: it refuses compact timelines (src/core/compact-timeline.ts).
 * @example
 * toTimelines(buildTimelines(items, map), map); // the same timelines, not rebuilt
 */
export function toTimelines(input: FlowInput, map: StreamMap, needsSteps?: string): readonly Timeline[] {
  if (input.length === 0) return [];
  if (!('steps' in input[0])) return buildTimelines(input as readonly WorkItem[], map);
  const timelines = input as readonly Timeline[];
  if (needsSteps !== undefined) requireSteps(timelines, needsSteps);
  return timelines;
}
