import { describe, expect, it } from 'vitest';
import { netFlow } from '../../src/core/net-flow.ts';
import { teamMap, weekItems, weekWindow } from './flow-fixtures.ts';

describe('netFlow', () => {
  it('arrivals (B-2, B-8, B-4, B-5 created in the week) minus completions (5)', () => {
    expect(netFlow(weekItems(), teamMap, weekWindow)).toEqual([
      { week: '2026-W07', start: '2026-02-09', arrivals: 4, completions: 5, netFlow: -1 },
    ]);
  });

  it('with a start status, items still before it are not arrivals', () => {
    const map = { ...teamMap, startStatus: 'In Progress' };
    // arrivals = first entry into In Progress (or later) inside the week: B-1, B-2, B-3, B-4, B-8 and B-6 (done)
    expect(netFlow(weekItems(), map, weekWindow)[0]).toMatchObject({ arrivals: 6, completions: 5, netFlow: 1 });
  });
});
