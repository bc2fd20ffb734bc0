/**
 * Blocked time from flags and labels (Jira's Flagged field, a configured label), united with the
 * blocked statuses, counted inside the stage where it happened and as wait there: hand-computed
 * values on small histories.
 */
import { describe, expect, it } from 'vitest';
import { agingWip, blockedTime, flowEfficiency, stageBreakdown } from '../../src/core/index.ts';
import { FLAGGED, labelFlag } from '../../src/core/blocked-spans.ts';
import type { FlagEvent, StreamMap, WorkItem } from '../../src/core/types.ts';

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
    { name: 'Done', kind: 'done', statuses: ['Done'] },
  ],
  blockedStatuses: ['Review Blocked'],
  blockedWhenFlagged: true,
  blockedLabels: ['blocked'],
};
const window = { from: T0, to: T0 + 30 * D };

function item(key: string, moves: [string, number][], flags: [string, boolean, number][] = []): WorkItem {
  let from: string | null = null;
  const transitions = moves.map(([to, day]) => {
    const t = { from, to, at: T0 + day * D };
    from = to;
    return t;
  });
  const events: FlagEvent[] = flags.map(([flag, on, day]) => ({ flag, on, at: T0 + day * D }));
  return { key, type: 'feature', title: key, parentKey: null, isEpic: false, createdAt: T0, transitions, ...(events.length > 0 && { flags: events }) };
}

describe('blocked time from flags and labels', () => {
  it('a flag set and cleared twice inside one stage: 1 + 2 of its 8 days in Code review', () => {
    const items = [item('F-1', [['To Do', 0], ['In Progress', 1], ['In Review', 2], ['Done', 10]], [[FLAGGED, true, 3], [FLAGGED, false, 4], [FLAGGED, true, 6], [FLAGGED, false, 8]])];
    expect(blockedTime(items, map, window)).toEqual([{ stage: 'Code review', blockedMs: 3 * D, stageMs: 8 * D, share: 3 / 8, items: 1 }]);
    const breakdown = stageBreakdown(items, map, window);
    expect(breakdown.stages.map((s) => [s.stage, s.totalMs, s.blockedMs])).toEqual([['Development', 1 * D, 0], ['Code review', 8 * D, 3 * D]]);
    expect([breakdown.totalWaitMs, breakdown.totalTouchMs]).toEqual([8 * D, 1 * D]);
  });

  it('a label across a stage change: split at the move, and in the touch stage it is wait, not touch', () => {
    // Development days 1–4 (blocked 3–4), Code review days 4–6 (blocked 4–5); lead time 6 days
    const items = [item('F-2', [['To Do', 0], ['In Progress', 1], ['In Review', 4], ['Done', 6]], [[labelFlag('blocked'), true, 3], [labelFlag('blocked'), false, 5]])];
    expect(blockedTime(items, map, window)).toEqual([
      { stage: 'Development', blockedMs: 1 * D, stageMs: 3 * D, share: 1 / 3, items: 1 },
      { stage: 'Code review', blockedMs: 1 * D, stageMs: 2 * D, share: 1 / 2, items: 1 },
    ]);
    const breakdown = stageBreakdown(items, map, window);
    // touch: 3 days in Development less 1 blocked; wait: 2 days in Code review plus the blocked day of Development
    expect([breakdown.totalTouchMs, breakdown.totalWaitMs]).toEqual([2 * D, 3 * D]);
    expect(breakdown.stages.map((s) => [s.stage, s.waitShare])).toEqual([['Development', 1 / 3], ['Code review', 2 / 3]]);
    expect(breakdown.constraint?.stage).toBe('Code review');
    expect(flowEfficiency(items, map, window).items).toEqual([{ key: 'F-2', touchMs: 2 * D, leadMs: 6 * D, efficiency: 1 / 3 }]);
  });

  it('a flag on an item that never started counts nowhere, and the item is not aging', () => {
    const items = [item('N-1', [['To Do', 0]], [[FLAGGED, true, 1]])];
    expect(blockedTime(items, map, window, T0 + 5 * D)).toEqual([]);
    expect(stageBreakdown(items, map, window, T0 + 5 * D).totalWaitMs).toBe(0);
    expect(agingWip(items, map, T0 + 5 * D, null).items).toEqual([]);
  });

  it('ties at one instant: a flag set at the move counts in the new stage; set and cleared at once is nothing; overlaps count once', () => {
    const flags: [string, boolean, number][] = [
      [labelFlag('Blocked'), true, 2], [labelFlag('Blocked'), false, 2], // set and cleared in the same millisecond
      [FLAGGED, true, 3], [FLAGGED, false, 4], // set at the very instant of the move to In Review
      [labelFlag('Blocked'), true, 3.5], [labelFlag('Blocked'), false, 4.5], // overlaps the flag: union 3–4.5
    ];
    const moves: [string, number][] = [['To Do', 0], ['In Progress', 1], ['In Review', 3], ['Done', 5]];
    const expected = [{ stage: 'Code review', blockedMs: 1.5 * D, stageMs: 2 * D, share: 0.75, items: 1 }];
    expect(blockedTime([item('T-1', moves, flags)], map, window)).toEqual(expected);
    expect(blockedTime([item('T-1', moves, [...flags].reverse())], map, window)).toEqual(expected);
  });

  it('a flag still set now counts up to now, and aging lists the blocked item first', () => {
    const now = T0 + 5 * D;
    const blocked = item('S-1', [['To Do', 0], ['In Progress', 1], ['In Review', 2]], [[FLAGGED, true, 3]]);
    const older = item('O-1', [['To Do', 0], ['In Progress', 0.5]]);
    expect(blockedTime([blocked, older], map, window, now)).toEqual([{ stage: 'Code review', blockedMs: 2 * D, stageMs: 3 * D, share: 2 / 3, items: 1 }]);
    const aging = agingWip([older, blocked], map, now, null);
    expect(aging.items.map((i) => [i.key, i.ageDays, i.blocked])).toEqual([['S-1', 5, true], ['O-1', 6, false]]);
  });

  it('a blocked status and a flag are one blocked time where they overlap', () => {
    // In Review 2–3, Review Blocked 3–5, In Review 5–6; flagged 4–5.5: blocked 3–5.5
    const items = [item('U-1', [['To Do', 0], ['In Progress', 1], ['In Review', 2], ['Review Blocked', 3], ['In Review', 5], ['Done', 6]], [[FLAGGED, true, 4], [FLAGGED, false, 5.5]])];
    expect(blockedTime(items, map, window)).toEqual([{ stage: 'Code review', blockedMs: 2.5 * D, stageMs: 4 * D, share: 2.5 / 4, items: 1 }]);
  });

  it('labels and flags the map does not name count for nothing', () => {
    const items = [item('L-1', [['To Do', 0], ['In Progress', 1], ['Done', 3]], [[labelFlag('blocked-by-design'), true, 1], [labelFlag('needs design'), true, 1]])];
    expect(blockedTime(items, map, window)).toEqual([]);
    const flagged = [item('L-2', [['To Do', 0], ['In Progress', 1], ['Done', 3]], [[FLAGGED, true, 1], [labelFlag('blocked'), true, 2]])];
    const none: StreamMap = { ...map, blockedStatuses: undefined, blockedWhenFlagged: undefined, blockedLabels: undefined };
    expect(blockedTime(flagged, none, window)).toEqual([]);
    expect(flowEfficiency(flagged, none, window).items[0]).toMatchObject({ touchMs: 2 * D });
    expect(stageBreakdown(flagged, none, window).stages[0]).toMatchObject({ totalMs: 2 * D, blockedMs: 0 });
  });
});
