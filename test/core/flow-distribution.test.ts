import { describe, expect, it } from 'vitest';
import { flowDistribution } from '../../src/core/flow-distribution.ts';
import { at, teamMap, weekItems, weekWindow } from './flow-fixtures.ts';

describe('flowDistribution', () => {
  it('shares of completions by type per ISO week, and flow load at the window end', () => {
    const report = flowDistribution(weekItems(), teamMap, weekWindow);
    expect(report.granularity).toBe('week');
    expect(report.periods).toEqual([
      { period: '2026-W07', start: '2026-02-09', counts: { feature: 3, defect: 1, risk: 0, debt: 1 }, total: 5 },
    ]);
    expect(report.totals).toEqual({ feature: 3, defect: 1, risk: 0, debt: 1 });
    expect(report.shares).toEqual({ feature: 0.6, defect: 0.2, risk: 0, debt: 0.2 });
    expect(report.flowLoad).toEqual({ feature: 1, defect: 0, risk: 1, debt: 0 }); // B-3, B-4
  });

  it('per month, zero-filled', () => {
    const report = flowDistribution(weekItems(), teamMap, { from: at('2026-01-15T00:00Z'), to: at('2026-03-10T00:00Z') }, 'month');
    expect(report.periods.map((p) => [p.period, p.start, p.total])).toEqual([
      ['2026-01', '2026-01-01', 0],
      ['2026-02', '2026-02-01', 6], // B-4 done 02-16 too
      ['2026-03', '2026-03-01', 0],
    ]);
  });

  it('shares are 0 with no completions', () => {
    const report = flowDistribution([], teamMap, weekWindow);
    expect(report.shares).toEqual({ feature: 0, defect: 0, risk: 0, debt: 0 });
    expect(report.periods).toHaveLength(1);
  });
});
