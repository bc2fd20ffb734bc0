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
  const order = new Map(map.stages.map((stage, index) => [stage.name, index]));
  const loops = new Map<string, { from: string; to: string; items: Set<string>; moves: number }>();
  const passed = new Map<string, Set<string>>();
  for (const t of toTimelines(input, map)) {
    const key = t.item.key;
    for (let i = 0; i < t.steps.length; i++) {
      const step = t.steps[i]!;
      const end = step.until ?? Number.POSITIVE_INFINITY;
      // in the stage during the window; done is open-ended, so there only what arrived in the window
      const inWindow = step.kind === 'done' ? step.at >= window.from && step.at < window.to : step.at < window.to && end > window.from;
      if (inWindow) {
        let seen = passed.get(step.stage);
        if (!seen) {
          seen = new Set();
          passed.set(step.stage, seen);
        }
        seen.add(key);
      }
      const next = t.steps[i + 1];
      if (!next || next.at < window.from || next.at >= window.to) continue;
      const fromIndex = order.get(step.stage);
      const toIndex = order.get(next.stage);
      if (fromIndex === undefined || toIndex === undefined || toIndex >= fromIndex) continue;
      const pair = `${step.stage}\u0000${next.stage}`;
      let loop = loops.get(pair);
      if (!loop) {
        loop = { from: step.stage, to: next.stage, items: new Set(), moves: 0 };
        loops.set(pair, loop);
      }
      loop.items.add(key);
      loop.moves += 1;
    }
  }
  return [...loops.values()]
    .map((loop) => ({ from: loop.from, to: loop.to, items: loop.items.size, moves: loop.moves, shareOfPassed: loop.items.size / (passed.get(loop.from)?.size ?? loop.items.size) }))
    .sort((a, b) => b.items - a.items || b.moves - a.moves || (order.get(a.from) ?? 0) - (order.get(b.from) ?? 0));
}
