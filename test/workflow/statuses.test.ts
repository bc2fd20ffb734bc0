import { describe, expect, it } from 'vitest';
import type { StreamMap } from '../../src/core/types.ts';
import { createStatusIndex } from '../../src/workflow/status-index.ts';
import { findUnknownStatuses } from '../../src/workflow/unknown-statuses.ts';

const MAP: StreamMap = {
  name: 'checkout',
  timeZone: 'Europe/Berlin',
  stages: [
    { name: 'Backlog', kind: 'backlog', statuses: ['Backlog', 'To Do'] },
    { name: 'In progress', kind: 'touch', statuses: ['In Progress'] },
    { name: 'Code review', kind: 'wait', statuses: ['In Review', 'Ready for Review'] },
    { name: 'Done', kind: 'done', statuses: ['Done', 'Closed'] },
  ],
};

describe('status index', () => {
  const stageOf = createStatusIndex(MAP);

  it('sends each status to its stage, kind and position', () => {
    expect(stageOf('To Do')).toEqual({ stage: 'Backlog', kind: 'backlog', order: 0 });
    expect(stageOf('Ready for Review')).toEqual({ stage: 'Code review', kind: 'wait', order: 2 });
    expect(stageOf('Closed')).toEqual({ stage: 'Done', kind: 'done', order: 3 });
  });

  it('matches ignoring case and surrounding spaces, but nothing looser', () => {
    expect(stageOf('  in progress ')).toEqual({ stage: 'In progress', kind: 'touch', order: 1 });
    expect(stageOf('InProgress')).toBeUndefined();
    expect(stageOf('In  Progress')).toBeUndefined();
    expect(stageOf('')).toBeUndefined();
  });
});

describe('unknown statuses', () => {
  it('lists each status the map does not name once, in order, with the fix', () => {
    const seen = ['To Do', 'QA Ready', 'In Progress', 'Blocked', 'qa ready', 'done', 'QA Ready', ''];
    expect(findUnknownStatuses(MAP, seen, 'checkout.yaml')).toEqual([
      { status: 'QA Ready', fix: "add 'QA Ready' to a stage in checkout.yaml" },
      { status: 'Blocked', fix: "add 'Blocked' to a stage in checkout.yaml" },
    ]);
  });

  it('finds nothing when every status is mapped, and works on any iterable', () => {
    expect(findUnknownStatuses(MAP, new Set(['Backlog', 'closed', ' In Review']), 'checkout.yaml')).toEqual([]);
  });
});
