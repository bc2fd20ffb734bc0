/**
 * Rework loops that changed between two windows of the same length, in the words of the weekly
 * check-in: "Testing → Development: 14 items in 90 days, 11% of those in Testing (up from 6%
 * the 90 days before)". Pure: two lists of loops in, lines out.
 */
import type { ReworkLoop } from '../core/index.ts';

/** A loop's share has to move by this many percentage points to count as changed. */
export const REWORK_CHANGE_POINTS = 2;

const pct = (share: number): number => Math.round(share * 100);
const shown = (share: number): string => (share > 0 && pct(share) === 0 ? 'under 1%' : `${pct(share)}%`);
const items = (n: number): string => `${n} item${n === 1 ? '' : 's'}`;

/**
 * One line per loop back that appeared, went away, or whose share of the items in its stage
 * moved by at least 2 percentage points, the largest move first; nothing for loops that held.
 * @example
 * reworkChangeLines([{ from: 'Testing', to: 'Development', items: 14, moves: 17, shareOfPassed: 0.11 }], [{ …, shareOfPassed: 0.06 }], 90)
 * // ['Testing → Development: 14 items in 90 days, 11% of those in Testing (up from 6% the 90 days before)']
 */
export function reworkChangeLines(now: readonly ReworkLoop[], before: readonly ReworkLoop[], days: number): string[] {
  const pair = (loop: ReworkLoop): string => `${loop.from} → ${loop.to}`;
  const earlier = new Map(before.map((loop) => [pair(loop), loop]));
  const later = new Map(now.map((loop) => [pair(loop), loop]));
  const changes: { move: number; line: string }[] = [];
  const previously = `the ${days} days before`;
  for (const loop of now) {
    const was = earlier.get(pair(loop));
    const share = pct(loop.shareOfPassed);
    const wasShare = was ? pct(was.shareOfPassed) : 0;
    if (was && Math.abs(share - wasShare) < REWORK_CHANGE_POINTS) continue;
    const trend = was ? `${share > wasShare ? 'up' : 'down'} from ${shown(was.shareOfPassed)} ${previously}` : `none ${previously}`;
    changes.push({ move: Math.abs(share - wasShare), line: `${pair(loop)}: ${items(loop.items)} in ${days} days, ${shown(loop.shareOfPassed)} of those in ${loop.from} (${trend})` });
  }
  for (const loop of before) {
    if (later.has(pair(loop))) continue;
    const wasShare = pct(loop.shareOfPassed);
    changes.push({ move: wasShare, line: `${pair(loop)}: no item in ${days} days (down from ${items(loop.items)}, ${shown(loop.shareOfPassed)} of those in ${loop.from}, ${previously})` });
  }
  return changes.sort((a, b) => b.move - a.move).map((c) => c.line);
}
