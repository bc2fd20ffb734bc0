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
