/**
 * The plain data the flow metrics work on and return. Every layer above
 * (store, charts, commands, nudges) speaks in these shapes.
 *
 * Times are epoch milliseconds (UTC instants). Calendar dates are strings
 * `YYYY-MM-DD` in the value stream's time zone. Nothing here reads the clock.
 */
import type { ValueStreamMap } from './value-stream-map.ts';

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
}

/** The duration of one completed item (lead time or cycle time). */
export interface ItemDuration {
  key: string;
  type: ItemType;
  title: string;
  start: number;
  end: number;
  /** start and end as local dates of the stream's time zone */
  startDate: string;
  endDate: string;
  ms: number;
  /** in the requested day counting */
  days: number;
}

export interface DurationReport {
  days: DayCounting;
  count: number;
  /** null when there are no completed items */
  percentiles: Percentiles | null;
  items: ItemDuration[];
}

export interface DayCount {
  date: string;
  count: number;
}

export interface WeekCount {
  /** ISO week, e.g. 2026-W07 */
  week: string;
  /** Monday of that week, local date */
  start: string;
  count: number;
}

export interface ThroughputReport {
  perDay: DayCount[];
  perWeek: WeekCount[];
  total: number;
}

export interface NetFlowWeek {
  week: string;
  start: string;
  arrivals: number;
  completions: number;
  netFlow: number;
}

export interface LittlesLawReport {
  averageWip: number;
  throughputPerDay: number;
  averageCycleTimeDays: number;
  /** averageWip / (throughputPerDay × averageCycleTimeDays); 1 means the law holds; null when undefined */
  ratio: number | null;
}

export interface ItemEfficiency {
  key: string;
  touchMs: number;
  leadMs: number;
  efficiency: number;
}

export interface EfficiencyReport {
  items: ItemEfficiency[];
  /** sum of touch ÷ sum of lead time; null when nothing completed */
  overall: number | null;
}

export interface StageStat {
  stage: string;
  kind: StageKind;
  totalMs: number;
  medianMs: number;
  items: number;
  /** of totalMs, the time items were blocked in the stage (0 when the map says nothing about blocked) */
  blockedMs: number;
  /**
   * this stage's share of all wait time (0..1): a wait stage's whole time, a touch stage's
   * blocked time (0 when it has none)
   */
  waitShare: number;
}

export interface StageBreakdown {
  stages: StageStat[];
  /** time in wait stages, plus blocked time in touch stages */
  totalWaitMs: number;
  /** time in touch stages while not blocked */
  totalTouchMs: number;
  /** the wait stage holding the largest share of total wait time */
  constraint: { stage: string; waitShare: number; sentence: string } | null;
}

export type AgingThreshold = '85' | '95';

export interface AgingItem {
  key: string;
  type: ItemType;
  title: string;
  stage: string;
  startedAt: number;
  ageDays: number;
  /** the highest cycle-time percentile the age has passed, or null */
  beyond: AgingThreshold | null;
  /** blocked now: in a blocked status, or a blocked flag or label is set (listed first) */
  blocked?: boolean;
  /** with pauseAwareCycleTime: parked back in a backlog stage now (its age stands still) */
  paused?: boolean;
  /** with pauseAwareCycleTime: whole days left out of the age as paused */
  pausedDays?: number;
}

export interface AgingReport {
  percentiles: Percentiles | null;
  items: AgingItem[];
}

export interface DistributionPeriod {
  /** ISO week (2026-W07) or month (2026-02) */
  period: string;
  start: string;
  counts: Record<ItemType, number>;
  total: number;
}

export interface DistributionReport {
  granularity: 'week' | 'month';
  periods: DistributionPeriod[];
  totals: Record<ItemType, number>;
  shares: Record<ItemType, number>;
  /** WIP by type at the end of the window */
  flowLoad: Record<ItemType, number>;
}

export interface FeatureFactoryReport {
  epics: number;
  withoutOutcome: number;
  /** 0..100; null when there are no epics */
  ratio: number | null;
  missing: { key: string; title: string }[];
}

export interface CfdDay {
  date: string;
  /** items in each stage at the end of the day, by stage name */
  counts: Record<string, number>;
}

export type XmrRule = 'beyond-limits' | 'run-of-8' | '3-of-4';
export const XMR_RULES: readonly XmrRule[] = ['beyond-limits', 'run-of-8', '3-of-4'];

export interface XmrLimits {
  center: number;
  mrCenter: number;
  unpl: number;
  /** raw value, not clamped at zero */
  lnpl: number;
  mrUrl: number;
  /** how many points the limits were computed from */
  baselineCount: number;
}

export interface XmrPoint {
  index: number;
  value: number;
  /** moving range to the previous point in the same phase; null for a phase's first point */
  mr: number | null;
  rules: XmrRule[];
  /** part of a trend of six rising or falling points (shown, not alerting) */
  trend: boolean;
  phase: number;
  /** what the point is: an item key, an ISO week, a date */
  label?: string;
  at?: number;
}

export interface XmrPhase extends XmrLimits {
  index: number;
  startIndex: number;
  /** inclusive */
  endIndex: number;
  /** the event that opened this phase (none for the first) */
  event: FlowEvent | null;
}

export interface XmrSignal {
  rule: XmrRule;
  side: 'above' | 'below';
  phase: number;
  /** indexes of the points taking part, ascending */
  points: number[];
}

export interface XmrResult {
  points: XmrPoint[];
  /** empty when there are fewer than 6 points in every phase */
  phases: XmrPhase[];
  signals: XmrSignal[];
}

export interface ForecastHowMany {
  days: number;
  trials: number;
  howMany: { '50': number; '85': number; '95': number };
  /** outcome → number of trials */
  histogram: { value: number; trials: number }[];
}

export interface ForecastWhen {
  items: number;
  trials: number;
  when: { '50': number; '85': number; '95': number };
  histogram: { value: number; trials: number }[];
}

/** Every report of one stream over one window, computed together from shared timelines. */
export interface ReportSet {
  window: Window;
  now: number;
  days: DayCounting;
  leadTime: DurationReport;
  cycleTime: DurationReport;
  throughput: ThroughputReport;
  /** WIP at the end of each local day */
  wip: DayCount[];
  netFlow: NetFlowWeek[];
  littlesLaw: LittlesLawReport;
  flowEfficiency: EfficiencyReport;
  stages: StageBreakdown;
  /** the value-stream map of the window (src/core/value-stream-map.ts) */
  valueStreamMap: ValueStreamMap;
  aging: AgingReport;
  distribution: DistributionReport;
  featureFactory: FeatureFactoryReport;
  cfd: CfdDay[];
  /** XmR charts of lead time, cycle time, weekly throughput and daily WIP, phased by the events */
  xmr: { leadTime: XmrResult; cycleTime: XmrResult; throughput: XmrResult; wip: XmrResult };
  /** completions per local day over the 90 days before `now`, oldest first (the forecast's samples) */
  forecastThroughput: number[];
  /** statuses the map does not name, with how many items were seen in each */
  unknownStatuses: { status: string; items: number }[];
}
