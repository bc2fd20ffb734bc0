/**
 * A compact timeline (issue 18, bounded memory): what the whole-history answers (throughput, WIP,
 * lead and cycle time, their XmR readings, forecasts) read of an item, in a fraction of its
 * memory. Its item keeps no transitions or flags, and each run of wait and touch steps (one after
 * the other, no gap) is one step. Start, arrival and completion, every in-progress interval
 * (src/core/in-progress.ts) and every pause (src/core/paused-time.ts) stay exactly as they were;
 * what needs the stages themselves (stage times, flow efficiency, the CFD, the value-stream map,
 * rework, blocked time) refuses a compact timeline (requireSteps).
 */
import type { Timeline, TimelineStep, WorkItem } from './types.ts';

const NO_TRANSITIONS = Object.freeze([]) as unknown as WorkItem['transitions'];
const NO_STEPS = Object.freeze([]) as unknown as TimelineStep[];

const inProgressKind = (step: TimelineStep) => step.kind === 'wait' || step.kind === 'touch';

/**
 * The timeline with its item's transitions, flags and outcomes dropped, the steps before its start
 * dropped (in-progress and paused time count from the start on; an item never started has none),
 * and each unbroken run of wait and touch steps merged into its first (which then lasts until the
 * run's end).
 * @example
 * // Backlog [0,5), Ready [5,9), Doing [9,12), Done [12,∞)
 * compactTimeline(t).steps // Ready [5,12), Done [12,∞)
 */
export function compactTimeline(timeline: Timeline): Timeline {
  const { startedAt } = timeline;
  const item = compactItem(timeline.item);
  let steps = NO_STEPS;
  if (startedAt !== null) {
    steps = [];
    for (const step of timeline.steps) {
      if (step.at < startedAt) continue;
      const last = steps[steps.length - 1];
      if (last !== undefined && inProgressKind(last) && inProgressKind(step) && last.until === step.at) {
        last.until = step.until;
        continue;
      }
      steps.push({ status: step.status, stage: step.stage, kind: step.kind, at: step.at, until: step.until });
    }
  }
  return {
    item,
    steps,
    arrivedAt: timeline.arrivedAt,
    arrived: timeline.arrived ?? true,
    startedAt,
    completedAt: timeline.completedAt,
    unknownStatuses: timeline.unknownStatuses,
    compact: true,
  };
}

/**
 * The item as a compact history keeps it: who it is and when it was created, without its
 * transitions, flags or outcomes (an epic of a compact history is kept so).
 * @example compactItem(item).transitions.length // 0
 */
export function compactItem(full: WorkItem): WorkItem {
  return { key: full.key, type: full.type, title: full.title, parentKey: full.parentKey, isEpic: full.isEpic, createdAt: full.createdAt, transitions: NO_TRANSITIONS };
}

/**
 * Throws when the timelines are compact: for the measures that need every stage an item passed.
 * @example requireSteps(timelines, 'stage breakdown')
 */
export function requireSteps(timelines: readonly Timeline[], what: string): void {
  if (timelines.length > 0 && timelines[0]!.compact) {
    throw new Error(`the ${what} needs every step of each item; it was given compact timelines (src/core/compact-timeline.ts): load the full history`);
  }
}
