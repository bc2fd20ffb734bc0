/**
 * Stage breakdown: total and median time per wait and touch stage, and the
 * constraint: the wait stage holding the largest share of all wait time.
 */
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
  for (const t of toTimelines(input, map)) {
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
    }
    for (const i of touched) {
      perItem[i].push(itemTotals[i]);
      totals[i] += itemTotals[i];
      itemTotals[i] = 0;
    }
    touched.length = 0;
  }
  let totalWaitMs = 0, totalTouchMs = 0;
  stages.forEach((s, i) => {
    if (s.kind === 'wait') totalWaitMs += totals[i];
    else totalTouchMs += totals[i];
  });
  const stats: StageStat[] = stages.map((s, i) => ({
    stage: s.name,
    kind: s.kind,
    totalMs: totals[i],
    medianMs: median(perItem[i]),
    items: perItem[i].length,
    waitShare: s.kind === 'wait' && totalWaitMs > 0 ? totals[i] / totalWaitMs : 0,
  }));
  let constraint: StageBreakdown['constraint'] = null;
  for (const s of stats) {
    if (s.kind === 'wait' && s.totalMs > 0 && (constraint === null || s.waitShare > constraint.waitShare)) {
      constraint = { stage: s.stage, waitShare: s.waitShare, sentence: constraintSentence(s.stage, s.waitShare) };
    }
  }
  return { stages: stats, totalWaitMs, totalTouchMs, constraint };
}
