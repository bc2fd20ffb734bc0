/**
 * What the flow metrics return: durations, throughput, WIP, efficiency, the stage breakdown,
 * aging, distribution, FFR, CFD, XmR readings, forecasts, and the report set that holds them.
 */
import type { ValueStreamMap } from './value-stream-map.ts';
import type { DayCounting, FlowEvent, ItemType, Percentiles, StageKind, Window } from './input-types.ts';

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
