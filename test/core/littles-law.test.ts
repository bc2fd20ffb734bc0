import { describe, expect, it } from 'vitest';
import { littlesLaw, littlesLawFromAverages } from '../../src/core/littles-law.ts';
import { teamMap, weekItems, weekWindow } from './flow-fixtures.ts';

describe("Little's Law", () => {
  it('compares average WIP with throughput × average cycle time over the window', () => {
    const report = littlesLaw(weekItems(), teamMap, weekWindow);
    const averageWip = (2 + 4 + 2 + 2 + 2 + 2 + 2) / 7;
    const throughputPerDay = 5 / 7;
    // elapsed cycle times: B-2 8 h, B-8 15.5 h, B-1 54 h, B-7 217 h
    const averageCycle = (8 + 15.5 + 54 + 217) / 24 / 4;
    expect(report.averageWip).toBeCloseTo(averageWip, 12);
    expect(report.throughputPerDay).toBeCloseTo(throughputPerDay, 12);
    expect(report.averageCycleTimeDays).toBeCloseTo(averageCycle, 12);
    expect(report.ratio).toBeCloseTo(averageWip / (throughputPerDay * averageCycle), 12);
    expect(report.ratio).toBeCloseTo(1.0431, 3);
  });

  it('has no ratio when nothing was completed', () => {
    expect(littlesLawFromAverages(3, 0, 0).ratio).toBeNull();
    expect(littlesLawFromAverages(10, 2, 5).ratio).toBe(1);
  });
});
