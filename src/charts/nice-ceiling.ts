/**
 * A round upper end for a value axis that starts at 0, with a little headroom
 * (5%), so the highest dot is never on the frame. Charts set it as the scale's
 * explicit domain, so positions can be computed outside Vega (dense dots,
 * label placement).
 * @example niceCeiling(37) // 40
 * @example niceCeiling(9) // 10
 * @example niceCeiling(0) // 1
 */
export function niceCeiling(value: number): number {
  if (!(value > 0)) return 1;
  const padded = value * 1.05;
  const unit = Math.max(1, 10 ** Math.floor(Math.log10(padded)) / 2);
  return Math.ceil(padded / unit) * unit;
}
