import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { median, percentileOfSorted, percentiles } from '../../src/core/percentiles.ts';

describe('percentiles (nearest rank)', () => {
  it('n = 1: every percentile is the one value', () => {
    expect(percentiles([5])).toEqual({ '50': 5, '70': 5, '85': 5, '95': 5 });
  });

  it('n = 7: ranks ceil(3.5)=4, ceil(4.9)=5, ceil(5.95)=6, ceil(6.65)=7', () => {
    expect(percentiles([7, 3, 1, 6, 2, 5, 4])).toEqual({ '50': 4, '70': 5, '85': 6, '95': 7 });
  });

  it('n = 20: ranks 10, 14, 17, 19 of the sorted values', () => {
    // sorted: 2 3 3 4 5 5 5 6 7 8 | 8 9 10 12 13 15 18 21 30 44
    const values = [44, 3, 8, 5, 21, 2, 13, 5, 9, 3, 30, 6, 10, 5, 18, 7, 12, 4, 15, 8];
    expect(percentiles(values)).toEqual({ '50': 8, '70': 12, '85': 18, '95': 30 });
  });

  it('is null for no values, and a percentile of nothing is an error that says so', () => {
    expect(percentiles([])).toBeNull();
    expect(() => percentileOfSorted([], 85)).toThrow(/No values/);
    expect(() => percentileOfSorted([1], 0)).toThrow(/out of range/);
    expect(median([])).toBe(0);
  });

  it('is the smallest value with at least p% of the values at or below it', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 60 }), fc.constantFrom(50, 70, 85, 95), (values, p) => {
        const sorted = [...values].sort((a, b) => a - b);
        const v = percentileOfSorted(sorted, p);
        const atOrBelow = (x: number) => values.filter((y) => y <= x).length;
        expect(atOrBelow(v) * 100).toBeGreaterThanOrEqual(p * values.length);
        for (const smaller of values.filter((x) => x < v)) expect(atOrBelow(smaller) * 100).toBeLessThan(p * values.length);
      }),
      { numRuns: 500 },
    );
  });
});
