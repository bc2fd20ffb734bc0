/**
 * Stage breakdown: total and median time per wait and touch stage, and the
 * constraint: the wait stage holding the largest share of all wait time. Time blocked inside a
 * touch stage (a blocked status, flag or label) is wait time of that stage, not touch time.
 */
import { blockedSpans, blockedWithin, hasBlockedSettings } from './blocked-spans.ts';
import type { StageBreakdown, StageStat, StreamMap, Window } from './types.ts';
import { median } from './percentiles.ts';
import { toTimelines, type FlowInput } from './timeline.ts';
import { assertWindow } from './window.ts';

/**
 * The plain sentence naming the constraint.
 * @example
 * constraintSentence('Code review', 0.4128); // 'Most waiting happens in Code review: 41% of all wait time'
 */
export function constraintSentence(stage: string, waitShare: number): string {
  return `Most waiting happens in ${stage}: ${Math.round(waitShare * 100)}% of all wait time`;
}

/**
 * Time spent in each wait and touch stage during the window (steps clipped to the window;
 * a step still open counts up to `now` or the window end, whichever is earlier). `medianMs` is
 * the median over items of each item's time in the stage; stages are listed in map order.
 * `blockedMs` is the part of a stage's time items were blocked; in a touch stage it counts as
 * wait (totalWaitMs, the stage's waitShare), not touch. The constraint is a wait stage (a queue).
 * @example
 * stageBreakdown(items, map, window, now).constraint;
 * // { stage: 'Code review', waitShare: 0.41, sentence: 'Most waiting happens in Code review: 41% of all wait time' }
 */
export function stageBreakdown(input: FlowInput, map: StreamMap, window: Window, now: number = window.to): StageBreakdown {
  assertWindow(window);
  const stages = map.stages.filter((s) => s.kind === 'wait' || s.kind === 'touch');
  const names = stages.map((s) => s.name);
  const perItem: number[][] = stages.map(() => []);
  const totals = new Float64Array(stages.length);
  const openEnd = Math.min(window.to, now);
  const itemTotals = new Float64Array(stages.length);
  const touched: number[] = [];
  const withBlocked = hasBlockedSettings(map);
  const blocked = new Float64Array(stages.length);
  for (const t of toTimelines(input, map, 'stage breakdown')) {
    const spans = withBlocked ? blockedSpans(t, map) : null;
    for (const step of t.steps) {
      if (step.kind !== 'wait' && step.kind !== 'touch') continue;
      // a handful of stages: a linear scan beats a hash lookup
      let i = 0;
      while (i < names.length && names[i] !== step.stage) i++;
      if (i === names.length) continue;
      const start = Math.max(step.at, window.from);
      const end = Math.min(step.until ?? openEnd, window.to);
      if (end <= start) continue;
      if (itemTotals[i] === 0) touched.push(i);
      itemTotals[i] += end - start;
      if (spans !== null && spans.length > 0) blocked[i] += blockedWithin(spans, start, end);
    }
    for (const i of touched) {
      perItem[i].push(itemTotals[i]);
      totals[i] += itemTotals[i];
      itemTotals[i] = 0;
    }
    touched.length = 0;
  }
  let totalWaitMs = 0, totalTouchMs = 0;
  const waitOf = (i: number): number => (stages[i].kind === 'wait' ? totals[i] : blocked[i]);
  stages.forEach((s, i) => {
    totalWaitMs += waitOf(i);
    if (s.kind === 'touch') totalTouchMs += totals[i] - blocked[i];
  });
  const stats: StageStat[] = stages.map((s, i) => ({
    stage: s.name,
    kind: s.kind,
    totalMs: totals[i],
    medianMs: median(perItem[i]),
    items: perItem[i].length,
    blockedMs: blocked[i],
    waitShare: totalWaitMs > 0 ? waitOf(i) / totalWaitMs : 0,
  }));
  let constraint: StageBreakdown['constraint'] = null;
  for (const s of stats) {
    if (s.kind === 'wait' && s.totalMs > 0 && (constraint === null || s.waitShare > constraint.waitShare)) {
      constraint = { stage: s.stage, waitShare: s.waitShare, sentence: constraintSentence(s.stage, s.waitShare) };
    }
  }
  return { stages: stats, totalWaitMs, totalTouchMs, constraint };
}
