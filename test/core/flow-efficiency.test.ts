import { describe, expect, it } from 'vitest';
import { flowEfficiency } from '../../src/core/flow-efficiency.ts';
import { HOUR, teamMap, weekItems, weekWindow } from './flow-fixtures.ts';

describe('flowEfficiency', () => {
  it('touch time ÷ lead time per completed item, and sum ÷ sum overall', () => {
    const report = flowEfficiency(weekItems(), teamMap, weekWindow);
    const byKey = Object.fromEntries(report.items.map((i) => [i.key, i]));
    expect(byKey['B-2']).toEqual({ key: 'B-2', touchMs: 8 * HOUR, leadMs: 10 * HOUR, efficiency: 0.8 });
    // B-1: doing 24 h + testing 6 h; lead 02-02 08:00 → 02-11 14:00 = 222 h
    expect(byKey['B-1']).toMatchObject({ touchMs: 30 * HOUR, leadMs: 222 * HOUR });
    // B-7: doing 48 h, then 48 h after reopening; lead 242 h
    expect(byKey['B-7']).toMatchObject({ touchMs: 96 * HOUR, leadMs: 242 * HOUR });
    expect(byKey['B-6']).toMatchObject({ touchMs: 0, efficiency: 0 });
    expect(report.items).toHaveLength(5);
    expect(report.overall).toBeCloseTo((8 + 30 + 15.5 + 96 + 0) / (10 + 222 + 37.5 + 242 + 288), 12);
  });

  it('is null overall when nothing completed', () => {
    expect(flowEfficiency([], teamMap, weekWindow)).toEqual({ items: [], overall: null });
  });
});
