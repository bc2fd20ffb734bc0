/**
 * The value-stream map drawn from data: each wait and touch stage in map order with the items
 * through it and its median time, the totals (lead time, touch vs wait, flow efficiency), the
 * rework loops, blocked time, stalled items, and the constraint with what its queue costs.
 */
import { blockedTime, type StageBlockedTime } from './blocked-time.ts';
import { queueCost, type QueueCost } from './cost-of-delay.ts';
import { flowEfficiency } from './flow-efficiency.ts';
import { leadTime } from './lead-time.ts';
import { reworkLoops, type ReworkLoop } from './rework-loops.ts';
import { stageBreakdown } from './stage-breakdown.ts';
import { stalledItems } from './stalled-items.ts';
import { toTimelines, type FlowInput } from './timeline.ts';
import type { DurationReport, EfficiencyReport, StageBreakdown, StageKind, StreamMap, Window } from './types.ts';

const DAY = 86_400_000;

export interface MapStage {
  name: string;
  kind: Extract<StageKind, 'wait' | 'touch'>;
  /** items that spent time in the stage during the window */
  items: number;
  /** median over those items of their time in the stage, days */
  medianDays: number;
  /** share of the stage's time that was blocked (0..1); 0 when the map names no blocked statuses */
  blockedShare: number;
}

export interface ValueStreamMap {
  stages: MapStage[];
  /** lead time of the items finished in the window, calendar days; null when none finished */
  leadTime: { items: number; median: number; p85: number } | null;
  /** sums of the stages' medians (the ladder's two sides), days */
  touchDays: number;
  waitDays: number;
  /** touch ÷ lead time over the items finished in the window; null when none finished */
  flowEfficiency: number | null;
  rework: ReworkLoop[];
  blocked: StageBlockedTime[];
  /** in-progress items with no status change for the map's stalledAfterDays */
  stalled: number;
  constraint: { stage: string; waitShare: number; sentence: string; cost: QueueCost | null } | null;
  /** the map's other stages (backlog, done), before the first drawn stage and after the last, in map order: where rework loops from done or to the backlog end */
  outside?: { before: string[]; after: string[] };
}

/**
 * Everything `/flow map` draws, from one pass of each core metric over the same window.
 * @example valueStreamMap(items, map, window, now).constraint?.sentence // 'Most waiting happens in Code review: 41% of all wait time'
 */
export function valueStreamMap(
  input: FlowInput,
  map: StreamMap,
  window: Window,
  now: number = window.to,
  /** the same window's results when they are at hand (the report set): not computed twice */
  known: { breakdown?: StageBreakdown; calendarLeadTime?: DurationReport; efficiency?: EfficiencyReport } = {},
): ValueStreamMap {
  const timelines = toTimelines(input, map, 'value-stream map');
  const breakdown = known.breakdown ?? stageBreakdown(timelines, map, window, now);
  const blocked = blockedTime(timelines, map, window, now);
  const stages: MapStage[] = breakdown.stages
    .filter((s) => s.kind === 'wait' || s.kind === 'touch')
    .map((s) => ({
      name: s.stage,
      kind: s.kind as MapStage['kind'],
      items: s.items,
      medianDays: s.medianMs / DAY,
      blockedShare: blocked.find((b) => b.stage === s.stage)?.share ?? 0,
    }));
  const lead = known.calendarLeadTime ?? leadTime(timelines, map, window);
  const efficiency = known.efficiency ?? flowEfficiency(timelines, map, window);
  const constraint = breakdown.constraint;
  return {
    stages,
    leadTime: lead.percentiles ? { items: lead.count, median: lead.percentiles['50'], p85: lead.percentiles['85'] } : null,
    touchDays: stages.filter((s) => s.kind === 'touch').reduce((sum, s) => sum + s.medianDays, 0),
    waitDays: stages.filter((s) => s.kind === 'wait').reduce((sum, s) => sum + s.medianDays, 0),
    flowEfficiency: efficiency.overall,
    rework: reworkLoops(timelines, map, window),
    blocked,
    stalled: stalledItems(timelines, map, now).length,
    constraint: constraint ? { ...constraint, cost: queueCost(timelines, map, constraint.stage, window, now) } : null,
    outside: outsideStages(map, stages),
  };
}

/** The stages that are neither wait nor touch, split by where they sit against the drawn ones. */
function outsideStages(map: StreamMap, drawn: readonly MapStage[]): { before: string[]; after: string[] } {
  const names = new Set(drawn.map((s) => s.name));
  const first = map.stages.findIndex((s) => names.has(s.name));
  const before: string[] = [];
  const after: string[] = [];
  map.stages.forEach((stage, i) => {
    if (names.has(stage.name)) return;
    (first === -1 || i < first ? before : after).push(stage.name);
  });
  return { before, after };
}
