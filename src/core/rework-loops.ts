/**
 * Rework loops: a move back to an earlier stage of the map (by map order) is a loop from the
 * stage the item left to the stage it went back to. Counted per pair of stages over a window.
 */
import type { StreamMap, Window } from './types.ts';
import { toTimelines, type FlowInput } from './timeline.ts';
import { assertWindow } from './window.ts';

/** One loop back: items that went from `from` back to `to` in the window, and how often. */
export interface ReworkLoop {
  from: string;
  to: string;
  /** items that made this move at least once */
  items: number;
  /** moves in all (an item may go back more than once) */
  moves: number;
  /** `items` ÷ items that were in `from` during the window (0..1) */
  shareOfPassed: number;
}

/**
 * Every loop back of the window, the largest first (by items, then moves). Moves into or out of
 * statuses the map does not name are not loops; neither is a move within one stage.
 * @example
 * reworkLoops(items, map, { from, to })[0];
 * // { from: 'Testing', to: 'Development', items: 14, moves: 17, shareOfPassed: 0.11 }
 */
export function reworkLoops(input: FlowInput, map: StreamMap, window: Window): ReworkLoop[] {
  assertWindow(window);
  const stages = map.stages;
  const n = stages.length;
  const order = new Map(stages.map((stage, index) => [stage.name, index]));
  // counts by stage index and by pair (from * n + to): one pass, no per-item sets
  const passed = new Int32Array(n);
  const seen = new Uint8Array(n);
  const pairItems = new Int32Array(n * n);
  const pairMoves = new Int32Array(n * n);
  const itemPairs: number[] = [];
  for (const t of toTimelines(input, map, 'rework count')) {
    seen.fill(0);
    itemPairs.length = 0;
    const steps = t.steps;
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i]!;
      const from = order.get(step.stage);
      if (from === undefined) continue;
      const end = step.until ?? Number.POSITIVE_INFINITY;
      // in the stage during the window; done is open-ended, so there only what arrived in the window
      const inWindow = step.kind === 'done' ? step.at >= window.from && step.at < window.to : step.at < window.to && end > window.from;
      if (inWindow && seen[from] === 0) {
        seen[from] = 1;
        passed[from]! += 1;
      }
      const next = steps[i + 1];
      if (!next || next.at < window.from || next.at >= window.to) continue;
      const to = order.get(next.stage);
      if (to === undefined || to >= from) continue;
      const pair = from * n + to;
      pairMoves[pair]! += 1;
      if (!itemPairs.includes(pair)) {
        itemPairs.push(pair);
        pairItems[pair]! += 1;
      }
    }
  }
  const loops: ReworkLoop[] = [];
  for (let pair = 0; pair < n * n; pair++) {
    const items = pairItems[pair]!;
    if (items === 0) continue;
    const from = Math.floor(pair / n);
    loops.push({ from: stages[from]!.name, to: stages[pair % n]!.name, items, moves: pairMoves[pair]!, shareOfPassed: items / Math.max(items, passed[from]!) });
  }
  return loops.sort((a, b) => b.items - a.items || b.moves - a.moves || (order.get(a.from) ?? 0) - (order.get(b.from) ?? 0));
}
