/**
 * What the flow metrics read: work items with their transitions and flags, the value-stream
 * map, logged events, windows, and the timelines the core builds from them. Times are epoch
 * milliseconds (UTC instants); calendar dates are `YYYY-MM-DD` in the stream's time zone.
 */
/** The four kinds of work of flow distribution. Epics are marked with `isEpic`, not a type. */
export type ItemType = 'feature' | 'defect' | 'risk' | 'debt';
export const ITEM_TYPES: readonly ItemType[] = ['feature', 'defect', 'risk', 'debt'];

/** What happens to work in a stage: it waits in a backlog, waits in a queue, is worked on, or is done. */
export type StageKind = 'backlog' | 'wait' | 'touch' | 'done';
export const STAGE_KINDS: readonly StageKind[] = ['backlog', 'wait', 'touch', 'done'];

/** One status change of one work item. `from` is null for the first status an item is seen in. */
export interface Transition {
  from: string | null;
  to: string;
  /** epoch ms */
  at: number;
}

/**
 * A blocked flag set on or cleared from a work item: Jira's Flagged field (`flag` is
 * `flagged`, set when the field becomes Impediment) or a tracker label (`label:<name>`, as the
 * tracker spells it). Which flags mean blocked is the map's `blockedWhenFlagged` and
 * `blockedLabels`; others are kept but count for nothing.
 */
export interface FlagEvent {
  flag: string;
  /** true: set; false: cleared */
  on: boolean;
  /** epoch ms */
  at: number;
}

/** A work item with its whole status history (in any order; the core sorts it). */
export interface WorkItem {
  key: string;
  type: ItemType;
  title: string;
  parentKey: string | null;
  isEpic: boolean;
  /** epoch ms */
  createdAt: number;
  transitions: Transition[];
  /** flags and labels set and cleared (in any order); absent when there are none */
  flags?: FlagEvent[];
  anticipatedOutcome?: string | null;
  actualOutcome?: string | null;
}

/** One stage of a value-stream map, in flow order. */
export interface Stage {
  name: string;
  kind: StageKind;
  statuses: string[];
}

/** A value-stream map: statuses → stages. Validated by src/workflow before it reaches the core. */
export interface StreamMap {
  name: string;
  /** IANA time zone, e.g. Europe/Berlin: calendar days are counted in it. */
  timeZone: string;
  stages: Stage[];
  /** Optional status whose first entry starts lead time (else the item's creation does). */
  startStatus?: string;
  /** Statuses (each in some stage) that mean the item is blocked: their time counts inside that stage, reported apart. */
  blockedStatuses?: string[];
  /** Labels (GitHub, GitLab, Linear) that mean blocked while set, compared case-insensitively; other labels are ignored. */
  blockedLabels?: string[];
  /** Jira's Flagged field (Impediment) means blocked while set (default off). */
  blockedWhenFlagged?: boolean;
  /** Whole days without a status change after which an item in progress is stalled (default 5). */
  stalledAfterDays?: number;
  /** What a week of delay costs (optionally per item type), for the cost of the constraint's queue. */
  costOfDelay?: CostOfDelay;
  /** Leave time back in a backlog stage after the start out of cycle time and age (default off). */
  pauseAwareCycleTime?: boolean;
}

/** A stream's cost of delay: an amount per week of waiting, in a currency (ISO 4217 code). */
export interface CostOfDelay {
  perWeek: number;
  currency: string;
  perType?: Partial<Record<ItemType, number>>;
}

/** A logged policy change or other event; each one starts a new XmR phase. */
export interface FlowEvent {
  at: number;
  text: string;
  kind: string;
}

/** How durations are reported: calendar-inclusive days (default) or elapsed fractional days. */
export type DayCounting = 'calendar' | 'elapsed';

/** Percentiles by nearest rank; JSON keys are the percentile numbers as strings. */
export interface Percentiles {
  '50': number;
  '70': number;
  '85': number;
  '95': number;
}

/** A closed or open window of time, epoch ms. `to` is exclusive. */
export interface Window {
  from: number;
  to: number;
}

/** One step of an item's timeline: it entered `status` (of `stage`) at `at` and left at `until` (null: still there). */
export interface TimelineStep {
  status: string;
  stage: string;
  kind: StageKind;
  at: number;
  until: number | null;
}

/** An item's normalized history: sorted, de-duplicated, mapped to stages. */
export interface Timeline {
  item: WorkItem;
  steps: TimelineStep[];
  /** Lead time start: creation, or first entry into the map's start status. */
  arrivedAt: number;
  /**
   * false when the map has a start status that the item has not reached yet (it is not an
   * arrival; `arrivedAt` then falls back to creation). Absent means true.
   */
  arrived?: boolean;
  /** First entry into any wait or touch stage; null if never started. */
  startedAt: number | null;
  /** Last entry into a done stage after which it never left; null if not done now. */
  completedAt: number | null;
  /** Statuses of this item that the map does not name. */
  unknownStatuses: string[];
  /**
   * set on a compact timeline (src/core/compact-timeline.ts): no transitions on its item, each run
   * of wait and touch steps merged; enough for start, completion, in-progress and paused time only
   */
  compact?: true;
}
