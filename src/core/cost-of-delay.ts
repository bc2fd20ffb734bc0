/**
 * Cost of delay of the constraint's queue: what waiting there costs, at the stream's cost of
 * delay per week. Items that waited in the stage during the window × their wait × the weekly
 * cost, and what one day less of that wait would be worth.
 */
import { toTimelines, type FlowInput } from './timeline.ts';
import type { StreamMap, Window } from './types.ts';
import { assertWindow } from './window.ts';

const WEEK_MS = 7 * 86_400_000;

export interface QueueCost {
  stage: string;
  /** items that waited in the stage during the window */
  items: number;
  /** their average wait there, weeks (clipped to the window) */
  averageWaitWeeks: number;
  /** items × average wait × cost per week */
  cost: number;
  /** what one day less of wait per item would save, in the same window */
  oneDayLessSaves: number;
  currency: string;
  perWeek: number;
}

/**
 * The cost of the wait in `stage` over the window; null when the map sets no cost of delay or
 * nothing waited there.
 * @example queueCost(items, map, 'Ready for release', window, now) // { items: 31, averageWaitWeeks: 2.1, cost: 65_100, currency: 'EUR', … }
 */
export function queueCost(input: FlowInput, map: StreamMap, stage: string, window: Window, now: number = window.to): QueueCost | null {
  assertWindow(window);
  const setting = map.costOfDelay;
  if (!setting) return null;
  const openEnd = Math.min(window.to, now);
  let items = 0;
  let cost = 0;
  let waitMs = 0;
  for (const t of toTimelines(input, map, 'queue cost')) {
    let ms = 0;
    for (const step of t.steps) {
      if (step.stage !== stage) continue;
      ms += Math.max(0, Math.min(step.until ?? openEnd, window.to) - Math.max(step.at, window.from));
    }
    if (ms <= 0) continue;
    items += 1;
    waitMs += ms;
    cost += (ms / WEEK_MS) * (setting.perType?.[t.item.type] ?? setting.perWeek);
  }
  if (items === 0) return null;
  const averageWaitWeeks = waitMs / items / WEEK_MS;
  return { stage, items, averageWaitWeeks, cost, oneDayLessSaves: cost * (1 / 7 / averageWaitWeeks), currency: setting.currency, perWeek: setting.perWeek };
}
