/**
 * Moves labels apart vertically so none overlap: given wanted y positions (pixels,
 * down is larger), returns positions at least `gap` apart, as close to the wanted
 * ones as a simple top-to-bottom pass allows, and kept inside [min, max].
 * @example spreadLabels([100, 104, 200], 14) // [95, 109, 200]
 */
export function spreadLabels(wanted: readonly number[], gap: number, min = -Infinity, max = Infinity): number[] {
  const order = wanted.map((y, i) => ({ y, i })).sort((a, b) => a.y - b.y);
  const placed = order.map((o) => o.y);
  // cluster-based relaxation: push down, then shift clusters up to centre them
  for (let pass = 0; pass < 20; pass++) {
    let moved = false;
    for (let k = 1; k < placed.length; k++) {
      const overlap = placed[k - 1] + gap - placed[k];
      if (overlap > 0.01) {
        placed[k - 1] -= overlap / 2;
        placed[k] += overlap / 2;
        moved = true;
      }
    }
    if (!moved) break;
  }
  for (let k = 0; k < placed.length; k++) placed[k] = Math.max(placed[k], k === 0 ? min : placed[k - 1] + gap);
  for (let k = placed.length - 1; k >= 0; k--) {
    placed[k] = Math.min(placed[k], k === placed.length - 1 ? max : placed[k + 1] - gap);
  }
  const result = new Array<number>(wanted.length);
  order.forEach((o, k) => {
    result[o.i] = Math.round(placed[k] * 10) / 10;
  });
  return result;
}
