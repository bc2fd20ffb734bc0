import { describe, expect, it } from 'vitest';
import { wip, wipByTypeAt } from '../../src/core/wip.ts';
import { at, teamMap, weekItems, weekWindow } from './flow-fixtures.ts';

describe('wip', () => {
  it('counts items started and not completed at the end of each local day', () => {
    expect(wip(weekItems(), teamMap, weekWindow)).toEqual([
      { date: '2026-02-09', count: 2 }, // B-1, B-3 (B-2 started and finished that day)
      { date: '2026-02-10', count: 4 }, // B-1, B-3, B-7 reopened, B-8 (done 30 min after midnight)
      { date: '2026-02-11', count: 2 }, // B-3, B-7
      { date: '2026-02-12', count: 2 }, // B-3, B-4
      { date: '2026-02-13', count: 2 },
      { date: '2026-02-14', count: 2 },
      { date: '2026-02-15', count: 2 },
    ]);
  });

  it('gives WIP by type at an instant (flow load)', () => {
    expect(wipByTypeAt(weekItems(), teamMap, at('2026-02-10T12:00Z'))).toEqual({ feature: 4, defect: 0, risk: 0, debt: 0 });
    expect(wipByTypeAt(weekItems(), teamMap, at('2026-02-13T12:00Z'))).toEqual({ feature: 1, defect: 0, risk: 1, debt: 0 });
  });
});
