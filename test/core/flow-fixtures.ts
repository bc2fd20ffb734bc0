/** Small hand-checkable histories for the core tests. */
import type { ItemType, StreamMap, Transition, WorkItem } from '../../src/core/types.ts';

/** A team's stream: backlog → ready (wait) → doing (touch) → code review (wait) → testing (touch) → done. */
export const teamMap: StreamMap = {
  name: 'Team',
  timeZone: 'Europe/Berlin',
  stages: [
    { name: 'Backlog', kind: 'backlog', statuses: ['To Do'] },
    { name: 'Ready', kind: 'wait', statuses: ['Ready'] },
    { name: 'Doing', kind: 'touch', statuses: ['In Progress'] },
    { name: 'Code review', kind: 'wait', statuses: ['In Review'] },
    { name: 'Testing', kind: 'touch', statuses: ['Testing'] },
    { name: 'Done', kind: 'done', statuses: ['Done', 'Closed'] },
  ],
};

/** Epoch ms of a UTC ISO string, e.g. at('2026-02-09T08:00Z'). */
export function at(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`bad ISO time in test: ${iso}`);
  return ms;
}

/** A work item from [from, to, isoTime] triples. */
export function item(
  key: string,
  created: string,
  moves: [string | null, string, string][],
  extra: Partial<Omit<WorkItem, 'key' | 'createdAt' | 'transitions'>> & { type?: ItemType } = {},
): WorkItem {
  const transitions: Transition[] = moves.map(([from, to, when]) => ({ from, to, at: at(when) }));
  return {
    key,
    type: 'feature',
    title: `Item ${key}`,
    parentKey: null,
    isEpic: false,
    createdAt: at(created),
    transitions,
    ...extra,
  };
}

export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/**
 * One week of a team in Berlin (CET, UTC+1), hand-checked in the tests.
 * The window is Monday 2026-02-09 00:00 to Monday 2026-02-16 00:00 Berlin time.
 *
 * B-1 feature  created 02-02, Doing 02-09 08:00Z, review 02-10 08:00Z, testing 02-11 08:00Z, done 02-11 14:00Z
 * B-2 defect   created 02-09 07:00Z, Doing 09:00Z, done 17:00Z (same day)
 * B-3 feature  created 01-20, Ready 02-05 10:00Z, Doing 02-10 10:00Z, review 02-12 10:00Z (still there)
 * B-4 risk     created 02-11 09:00Z, Doing 02-12 10:00Z, done 02-16 10:00Z (after the window)
 * B-5 feature  created 02-14 10:00Z, backlog only
 * B-6 debt     created 02-01 10:00Z, straight to done 02-13 10:00Z (never started)
 * B-7 feature  created 02-02, Doing 02-03 09:00Z, done 02-05 09:00Z, reopened 02-10 10:00Z, done 02-12 10:00Z
 * B-8 feature  created 02-09 10:00Z, Doing 02-10 08:00Z, done 02-10 23:30Z (= 02-11 00:30 in Berlin)
 */
export function weekItems(): WorkItem[] {
  return [
    item('B-1', '2026-02-02T08:00Z', [
      ['To Do', 'In Progress', '2026-02-09T08:00Z'],
      ['In Progress', 'In Review', '2026-02-10T08:00Z'],
      ['In Review', 'Testing', '2026-02-11T08:00Z'],
      ['Testing', 'Done', '2026-02-11T14:00Z'],
    ]),
    item('B-2', '2026-02-09T07:00Z', [
      ['To Do', 'In Progress', '2026-02-09T09:00Z'],
      ['In Progress', 'Done', '2026-02-09T17:00Z'],
    ], { type: 'defect' }),
    item('B-3', '2026-01-20T10:00Z', [
      ['To Do', 'Ready', '2026-02-05T10:00Z'],
      ['Ready', 'In Progress', '2026-02-10T10:00Z'],
      ['In Progress', 'In Review', '2026-02-12T10:00Z'],
    ]),
    item('B-4', '2026-02-11T09:00Z', [
      ['To Do', 'In Progress', '2026-02-12T10:00Z'],
      ['In Progress', 'Done', '2026-02-16T10:00Z'],
    ], { type: 'risk' }),
    item('B-5', '2026-02-14T10:00Z', [[null, 'To Do', '2026-02-14T10:00Z']]),
    item('B-6', '2026-02-01T10:00Z', [['To Do', 'Done', '2026-02-13T10:00Z']], { type: 'debt' }),
    item('B-7', '2026-02-02T08:00Z', [
      ['To Do', 'In Progress', '2026-02-03T09:00Z'],
      ['In Progress', 'Done', '2026-02-05T09:00Z'],
      ['Done', 'In Progress', '2026-02-10T10:00Z'],
      ['In Progress', 'Done', '2026-02-12T10:00Z'],
    ]),
    item('B-8', '2026-02-09T10:00Z', [
      ['To Do', 'In Progress', '2026-02-10T08:00Z'],
      ['In Progress', 'Done', '2026-02-10T23:30Z'],
    ]),
  ];
}

/** Monday 2026-02-09 00:00 to Monday 2026-02-16 00:00, Berlin time. */
export const weekWindow = { from: at('2026-02-08T23:00Z'), to: at('2026-02-15T23:00Z') };
