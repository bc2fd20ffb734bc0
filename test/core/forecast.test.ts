import { describe, expect, it } from 'vitest';
import { dailyThroughputBefore, FORECAST_MAX_DAYS, ForecastError, forecastHowMany, forecastWhen } from '../../src/core/forecast.ts';
import { createRandom } from '../../src/core/random.ts';
import { buildTimelines } from '../../src/core/timeline.ts';
import { at, item, teamMap } from './flow-fixtures.ts';

const history = [0, 1, 2, 0, 3, 1, 0, 0, 2, 1, 4, 0, 1, 2];

describe('forecastHowMany', () => {
  it('is reproducible with a seed and differs with another seed', () => {
    const a = forecastHowMany({ dailyThroughput: history, days: 14, seed: 7 });
    const b = forecastHowMany({ dailyThroughput: history, days: 14, seed: 7 });
    const c = forecastHowMany({ dailyThroughput: history, days: 14, seed: 8 });
    expect(a).toEqual(b);
    expect(c.histogram).not.toEqual(a.histogram);
    expect(a.trials).toBe(10_000);
  });

  it('constant throughput gives a certain answer: 2 a day for 10 days is 20', () => {
    const r = forecastHowMany({ dailyThroughput: [2, 2, 2], days: 10, seed: 1, trials: 500 });
    expect(r.howMany).toEqual({ '50': 20, '85': 20, '95': 20 });
    expect(r.histogram).toEqual([{ value: 20, trials: 500 }]);
  });

  it('at 85% is a number reached or exceeded in at least 85% of trials, and more confidence means fewer items', () => {
    const r = forecastHowMany({ dailyThroughput: history, days: 30, seed: 3 });
    const reached = (n: number) => r.histogram.filter((h) => h.value >= n).reduce((s, h) => s + h.trials, 0) / r.trials;
    expect(reached(r.howMany['85'])).toBeGreaterThanOrEqual(0.85);
    expect(reached(r.howMany['85'] + 1)).toBeLessThan(0.85);
    expect(reached(r.howMany['95'])).toBeGreaterThanOrEqual(0.95);
    expect(r.howMany['95']).toBeLessThanOrEqual(r.howMany['85']);
    expect(r.howMany['85']).toBeLessThanOrEqual(r.howMany['50']);
    expect(r.histogram.reduce((s, h) => s + h.trials, 0)).toBe(10_000);
    // the mean of the samples is 17/14 a day; 30 days should centre near 36
    expect(r.howMany['50']).toBeGreaterThanOrEqual(33);
    expect(r.howMany['50']).toBeLessThanOrEqual(40);
  });

  it('refuses an all-zero history with the code no-throughput, and bad days with bad-input', () => {
    const zero = () => forecastHowMany({ dailyThroughput: [0, 0, 0], days: 10, seed: 1 });
    expect(zero).toThrow(ForecastError);
    expect(zero).toThrow(/No item was completed/);
    try { zero(); } catch (e) { expect((e as ForecastError).code).toBe('no-throughput'); }
    expect(() => forecastHowMany({ dailyThroughput: [], days: 10, seed: 1 })).toThrow(/No item was completed/);
    expect(() => forecastHowMany({ dailyThroughput: [1], days: 0, seed: 1 })).toThrow(/Days must be a whole number/);
  });
});

describe('forecastWhen', () => {
  it('constant throughput: 2 a day needs ceil(25 / 2) = 13 days', () => {
    expect(forecastWhen({ dailyThroughput: [2], items: 25, seed: 1, trials: 200 }).when).toEqual({ '50': 13, '85': 13, '95': 13 });
  });

  it('the 85th percentile of days needed (nearest rank), reproducible', () => {
    const r = forecastWhen({ dailyThroughput: history, items: 40, seed: 11 });
    expect(r).toEqual(forecastWhen({ dailyThroughput: history, items: 40, seed: 11 }));
    const atOrBelow = (d: number) => r.histogram.filter((h) => h.value <= d).reduce((s, h) => s + h.trials, 0) / r.trials;
    expect(atOrBelow(r.when['85'])).toBeGreaterThanOrEqual(0.85);
    expect(atOrBelow(r.when['85'] - 1)).toBeLessThan(0.85);
    expect(r.when['50']).toBeLessThanOrEqual(r.when['85']);
    expect(r.when['85']).toBeLessThanOrEqual(r.when['95']);
  });

  it('never loops forever: all zeros is refused; rare throughput stops at the cap', () => {
    expect(() => forecastWhen({ dailyThroughput: new Array(90).fill(0), items: 5, seed: 1 })).toThrow(/No item was completed/);
    const rare = [1, ...new Array(999).fill(0)];
    const r = forecastWhen({ dailyThroughput: rare, items: 100, seed: 1, trials: 20 });
    expect(r.when['95']).toBe(FORECAST_MAX_DAYS);
  });
});

describe('dailyThroughputBefore', () => {
  it('counts completions per local day for the 90 days before today, zeros included', () => {
    const timelines = buildTimelines([
      item('F-1', '2026-01-01T00:00Z', [['To Do', 'Done', '2026-03-31T10:00Z']]), // yesterday
      item('F-2', '2026-01-01T00:00Z', [['To Do', 'Done', '2026-03-31T21:30Z']]), // 23:30 Berlin, yesterday
      item('F-3', '2026-01-01T00:00Z', [['To Do', 'Done', '2026-03-31T22:30Z']]), // 00:30 Berlin today: not sampled
      item('F-4', '2026-01-01T00:00Z', [['To Do', 'Done', '2026-01-01T12:00Z']]), // 90 days before today
      item('F-5', '2026-01-01T00:00Z', [['To Do', 'Done', '2025-12-31T12:00Z']]), // 91 days before: out
    ], teamMap);
    const counts = dailyThroughputBefore(timelines, teamMap, at('2026-04-01T10:00Z'));
    expect(counts).toHaveLength(90);
    expect(counts[89]).toBe(2);
    expect(counts[0]).toBe(1);
    expect(counts.reduce((s, c) => s + c, 0)).toBe(3);
  });
});

describe('createRandom', () => {
  it('is a reproducible uniform stream in [0, 1)', () => {
    const a = createRandom(42);
    const b = createRandom(42);
    const xs = Array.from({ length: 10_000 }, () => a());
    expect(Array.from({ length: 10_000 }, () => b())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean).toBeGreaterThan(0.48);
    expect(mean).toBeLessThan(0.52);
  });
});
