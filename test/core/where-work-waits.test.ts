/**
 * Rework loops, stalled items, blocked time and the cost of the constraint's queue, each against
 * hand-computed values on small histories.
 */
import { describe, expect, it } from 'vitest';
import { blockedTime, queueCost, reworkLoops, stalledItems } from '../../src/core/index.ts';
import type { StreamMap, WorkItem } from '../../src/core/types.ts';

const H = 3_600_000;
const D = 24 * H;
const T0 = Date.UTC(2026, 10, 2); // Monday
const map: StreamMap = {
  name: 'w',
  timeZone: 'UTC',
  stages: [
    { name: 'Backlog', kind: 'backlog', statuses: ['To Do'] },
    { name: 'Development', kind: 'touch', statuses: ['In Progress'] },
    { name: 'Code review', kind: 'wait', statuses: ['In Review', 'Review Blocked'] },
    { name: 'Testing', kind: 'touch', statuses: ['Testing'] },
    { name: 'Done', kind: 'done', statuses: ['Done'] },
  ],
  blockedStatuses: ['Review Blocked'],
  costOfDelay: { perWeek: 7000, currency: 'EUR', perType: { defect: 14000 } },
};

function item(key: string, moves: [string, number][], type: WorkItem['type'] = 'feature'): WorkItem {
  let from: string | null = null;
  const transitions = moves.map(([to, day]) => {
    const t = { from, to, at: T0 + day * D };
    from = to;
    return t;
  });
  return { key, type, title: key, parentKey: null, isEpic: false, createdAt: T0, transitions };
}

describe('where work waits', () => {
  const items = [
    // back from Testing to Development twice, then from Code review to Development once
    item('A-1', [['To Do', 0], ['In Progress', 1], ['In Review', 2], ['Testing', 3], ['In Progress', 4], ['In Review', 5], ['Testing', 6], ['In Progress', 7], ['In Review', 8], ['In Progress', 9], ['Done', 10]]),
    // across several stages at once: Testing back to Backlog
    item('A-2', [['To Do', 0], ['In Progress', 1], ['In Review', 2], ['Testing', 3], ['To Do', 4]]),
    // straight through, reopened from Done into Testing
    item('A-3', [['To Do', 0], ['In Progress', 1], ['Testing', 2], ['Done', 3], ['Testing', 5], ['Done', 6]], 'defect'),
    // blocked twice inside Code review: 1 day + 2 days of 6 in review
    item('B-1', [['To Do', 0], ['In Progress', 1], ['In Review', 2], ['Review Blocked', 3], ['In Review', 4], ['Review Blocked', 6], ['In Review', 8], ['Done', 8]]),
    // started, then untouched since day 3 (stalled by day 9)
    item('S-1', [['To Do', 0], ['In Progress', 3]]),
    // never started: blocked status in its history is not reached, nothing counts
    item('N-1', [['To Do', 0]]),
  ];
  const window = { from: T0, to: T0 + 30 * D };

  it('counts loops back per pair of stages, items and moves, and the share of those that passed', () => {
    const loops = reworkLoops(items, map, window);
    expect(loops).toEqual([
      // A-1 twice; A-3 (reopened, Done → Testing is a loop from Done) is separate
      // three items were in Testing, three in Code review (A-1, A-2, B-1)
      { from: 'Testing', to: 'Development', items: 1, moves: 2, shareOfPassed: 1 / 3 },
      { from: 'Code review', to: 'Development', items: 1, moves: 1, shareOfPassed: 1 / 3 },
      { from: 'Testing', to: 'Backlog', items: 1, moves: 1, shareOfPassed: 1 / 3 },
      { from: 'Done', to: 'Testing', items: 1, moves: 1, shareOfPassed: 1 / 3 },
    ]);
    // a window that starts after A-1's loops sees none of them
    expect(reworkLoops(items, map, { from: T0 + 9.5 * D, to: T0 + 30 * D })).toEqual([]);
  });

  it('finds items in progress with no status change for N days, longest idle first, and not before', () => {
    const now = T0 + 9 * D + 2 * H;
    // A-2 went back to the backlog after it started: still in progress (as in aging), and idle
    expect(stalledItems(items, map, now).map((s) => [s.key, s.stage, s.idleDays])).toEqual([
      ['S-1', 'Development', 6],
      ['A-2', 'Backlog', 5],
    ]);
    expect(stalledItems(items, map, now, 7)).toEqual([]);
    expect(stalledItems(items, map, T0 + 7 * D, 4).map((s) => s.key)).toEqual(['S-1']);
  });

  it('reports blocked time inside the stage it happened in, flags set and cleared twice', () => {
    const [review] = blockedTime(items, map, window);
    expect(review).toMatchObject({ stage: 'Code review', blockedMs: 3 * D, items: 1 });
    // Code review time in all: A-1 1+1+1 days, A-2 1 day, B-1 6 days
    expect(review!.stageMs).toBe(10 * D);
    expect(review!.share).toBeCloseTo(0.3, 10);
    // the window cuts the first block in half
    expect(blockedTime(items, map, { from: T0 + 3.5 * D, to: T0 + 30 * D })[0]!.blockedMs).toBe(2.5 * D);
    expect(blockedTime(items, { ...map, blockedStatuses: [] }, window)).toEqual([]);
  });

  it("prices the wait in the constraint's queue at the cost per week, per type where set", () => {
    const cost = queueCost(items, map, 'Testing', window, T0 + 30 * D)!;
    // Testing: A-1 1+1 days, A-2 1 day, A-3 (defect, double rate) 1+1 days
    expect(cost.items).toBe(3);
    expect(cost.averageWaitWeeks).toBeCloseTo(5 / 3 / 7, 10);
    expect(cost.cost).toBeCloseTo((3 / 7) * 7000 + (2 / 7) * 14000, 6);
    expect(cost.currency).toBe('EUR');
    expect(queueCost(items, { ...map, costOfDelay: undefined }, 'Testing', window)).toBeNull();
    expect(queueCost(items, map, 'Nowhere', window)).toBeNull();
  });
});
