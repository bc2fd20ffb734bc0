import { spreadLabels } from './spread-labels.ts';

/**
 * x of the boundary before point `start`: halfway between it and the previous point
 * (where a phase's lines begin and an event's rule is drawn).
 * @example boundaryX([1, 2, 3], 1) // 1.5
 */
export function boundaryX(xs: readonly number[], start: number): number {
  return start > 0 ? (xs[start - 1] + xs[start]) / 2 : xs[start];
}

/**
 * Pixel y for each limit label, spread so labels of one phase never overlap
 * (`shift` moves them off the line, e.g. -8 to sit just above it; `gap`: the least distance between two).
 */
export function placeLabels<T extends { phase: number; value: number }>(
  rows: readonly T[],
  domain: readonly [number, number],
  height: number,
  shift = 0,
  gap = 13,
): (T & { labelY: number })[] {
  const toPixel = (value: number): number => height - ((value - domain[0]) / (domain[1] - domain[0])) * height + shift;
  const out: (T & { labelY: number })[] = [];
  for (const phase of new Set(rows.map((row) => row.phase))) {
    const group = rows.filter((row) => row.phase === phase);
    const ys = spreadLabels(group.map((row) => toPixel(row.value)), gap, 6, height - 2);
    group.forEach((row, i) => {
      out.push({ ...row, labelY: ys[i] });
    });
  }
  return out;
}

