/**
 * A small seedable pseudo-random number generator (mulberry32), so that a
 * Monte Carlo forecast with the same seed gives the same answer.
 */

/** A function returning uniform numbers in [0, 1). */
export type Random = () => number;

/**
 * mulberry32: 32-bit state, fast, good enough for resampling.
 * @example
 * const random = createRandom(42);
 * random(); // 0.6011037519201636 (always, for seed 42)
 */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
