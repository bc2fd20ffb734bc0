/**
 * Blocked work now, against hand-computed values: blocked twice inside one stage, unblocked by
 * a stage change, finished while blocked, blocked at the same instant it is asked about.
 */
import { describe, expect, it } from 'vitest';
import { blockedItems } from '../../src/core/index.ts';
import type { StreamMap, WorkItem } from '../../src/core/types.ts';

const H = 3_600_000;
const D = 24 * H;
const T0 = Date.UTC(2026, 10, 2);
const map: StreamMap = {
  name: 'w',
  timeZone: 'UTC',
  stages: [
    { name: 'Backlog', kind: 'backlog', statuses: ['To Do'] },
    { name: 'Development', kind: 'touch', statuses: ['In Progress', 'Dev Blocked'] },
    { name: 'Code review', kind: 'wait', statuses: ['In Review', 'Review Blocked'] },
    { name: 'Done', kind: 'done', statuses: ['Done'] },
  ],
  blockedStatuses: ['Review Blocked', 'Dev Blocked'],
};

function item(key: string, moves: [string, number][]): WorkItem {
  let from: string | null = null;
  const transitions = moves.map(([to, day]) => {
    const t = { from, to, at: T0 + day * D };
    from = to;
    return t;
  });
  return { key, type: 'feature', title: `Title ${key}`, parentKey: null, isEpic: false, createdAt: T0, transitions };
}

describe('blockedItems', () => {
  const now = T0 + 10 * D;
  const items = [
    // in review: blocked 1 day, unblocked, blocked again since day 7: 1 + 3 = 4 days, blocked now
    item('A-1', [['To Do', 0], ['In Progress', 1], ['In Review', 3], ['Review Blocked', 4], ['In Review', 5], ['Review Blocked', 7]]),
    // blocked in development, then moved on to review: not blocked now
    item('A-2', [['To Do', 0], ['In Progress', 1], ['Dev Blocked', 2], ['In Review', 4]]),
    // finished while blocked in review: not in progress, so not listed
    item('A-3', [['To Do', 0], ['In Progress', 1], ['Review Blocked', 2], ['Done', 5]]),
    // blocked in development since day 2 (8 days) after a day blocked in review earlier: only the current stage's time
    item('A-4', [['To Do', 0], ['In Review', 0.5], ['Review Blocked', 0.75], ['In Review', 1.75], ['Dev Blocked', 2]]),
    // blocked at the very instant asked about: listed, with no time blocked yet
    item('A-5', [['To Do', 0], ['In Progress', 1], ['Dev Blocked', 10]]),
    // never started, sitting in the backlog
    item('A-6', [['To Do', 0]]),
  ];

  it('lists the items blocked now, the longest blocked first, with their time blocked in that stage', () => {
    expect(blockedItems(items, map, now)).toEqual([
      { key: 'A-4', title: 'Title A-4', stage: 'Development', blockedMs: 8 * D },
      { key: 'A-1', title: 'Title A-1', stage: 'Code review', blockedMs: 4 * D },
      { key: 'A-5', title: 'Title A-5', stage: 'Development', blockedMs: 0 },
    ]);
  });

  it('is empty when the map names no blocked statuses', () => {
    expect(blockedItems(items, { ...map, blockedStatuses: [] }, now)).toEqual([]);
  });
});
