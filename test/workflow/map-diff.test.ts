/**
 * The map differences an import or a start shows before a stored map is replaced: stages, and
 * the settings that change what the answers say (blocked, stalled, cost of delay, pauses).
 */
import { describe, expect, it } from 'vitest';
import type { StreamMap } from '../../src/core/types.ts';
import { mapDifferences } from '../../src/workflow/map-diff.ts';

const MAP: StreamMap = {
  name: 'web',
  timeZone: 'UTC',
  stages: [
    { name: 'Development', kind: 'touch', statuses: ['In Progress'] },
    { name: 'Code review', kind: 'wait', statuses: ['In Review', 'Blocked'] },
    { name: 'Done', kind: 'done', statuses: ['Done'] },
  ],
  blockedStatuses: ['Blocked'],
};

describe('mapDifferences', () => {
  it('is empty for the same map, and for the same lists in another order', () => {
    expect(mapDifferences(MAP, { ...MAP })).toEqual([]);
    expect(mapDifferences({ ...MAP, blockedLabels: ['blocked', 'on-hold'] }, { ...MAP, blockedLabels: ['on-hold', 'blocked'] })).toEqual([]);
  });

  it('names each setting that changes, even when the stages are the same', () => {
    const next: StreamMap = {
      ...MAP,
      blockedLabels: ['blocked'],
      blockedWhenFlagged: true,
      stalledAfterDays: 3,
      costOfDelay: { perWeek: 2500, currency: 'EUR' },
      pauseAwareCycleTime: true,
    };
    expect(mapDifferences(MAP, next)).toEqual([
      '~ blockedLabels (none) → blocked',
      '~ blockedWhenFlagged (none) → true',
      '~ stalledAfterDays (none) → 3',
      '~ costOfDelay (none) → {"perWeek":2500,"currency":"EUR"}',
      '~ pauseAwareCycleTime (none) → true',
    ]);
    expect(mapDifferences(MAP, { ...MAP, blockedStatuses: [] })).toEqual(['~ blockedStatuses Blocked → (none)']);
  });

  it('still lists stage changes', () => {
    const next: StreamMap = { ...MAP, stages: [MAP.stages[0]!, MAP.stages[2]!] };
    expect(mapDifferences(MAP, next)).toEqual(['- stage Code review (wait: In Review, Blocked)']);
  });
});
