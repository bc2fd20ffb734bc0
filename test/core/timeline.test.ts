import { describe, expect, it } from 'vitest';
import { buildTimeline, buildTimelines, toTimelines } from '../../src/core/timeline.ts';
import { inProgressIntervals, isInProgressAt, stepAt } from '../../src/core/in-progress.ts';
import type { StreamMap } from '../../src/core/types.ts';
import { at, item, teamMap } from './flow-fixtures.ts';

const shape = (steps: { status: string; stage: string; at: number; until: number | null }[]) =>
  steps.map((s) => [s.status, s.stage, new Date(s.at).toISOString().slice(0, 16), s.until === null ? null : new Date(s.until).toISOString().slice(0, 16)]);

describe('buildTimeline', () => {
  it('sorts by timestamp, not arrival order, and counts exact duplicates once', () => {
    const t = buildTimeline(
      item('A-1', '2026-02-02T08:00Z', [
        ['In Review', 'Done', '2026-02-06T10:00Z'],
        ['To Do', 'In Progress', '2026-02-03T09:00Z'],
        ['In Progress', 'In Review', '2026-02-05T15:00Z'],
        ['To Do', 'In Progress', '2026-02-03T09:00Z'], // duplicate delivery
        ['In Review', 'Done', '2026-02-06T10:00Z'], // duplicate delivery
      ]),
      teamMap,
    );
    expect(shape(t.steps)).toEqual([
      ['To Do', 'Backlog', '2026-02-02T08:00', '2026-02-03T09:00'],
      ['In Progress', 'Doing', '2026-02-03T09:00', '2026-02-05T15:00'],
      ['In Review', 'Code review', '2026-02-05T15:00', '2026-02-06T10:00'],
      ['Done', 'Done', '2026-02-06T10:00', null],
    ]);
    expect(t.arrivedAt).toBe(at('2026-02-02T08:00Z'));
    expect(t.startedAt).toBe(at('2026-02-03T09:00Z'));
    expect(t.completedAt).toBe(at('2026-02-06T10:00Z'));
    expect(t.unknownStatuses).toEqual([]);
  });

  it('a reopened item is in progress again and completes at its last entry into done', () => {
    const t = buildTimeline(
      item('A-2', '2026-02-02T08:00Z', [
        ['To Do', 'In Progress', '2026-02-03T09:00Z'],
        ['In Progress', 'Done', '2026-02-04T09:00Z'],
        ['Done', 'In Progress', '2026-02-10T09:00Z'],
        ['In Progress', 'Done', '2026-02-11T09:00Z'],
      ]),
      teamMap,
    );
    expect(t.startedAt).toBe(at('2026-02-03T09:00Z'));
    expect(t.completedAt).toBe(at('2026-02-11T09:00Z'));
    expect(inProgressIntervals(t)).toEqual([at('2026-02-03T09:00Z'), at('2026-02-04T09:00Z'), at('2026-02-10T09:00Z'), at('2026-02-11T09:00Z')]);
    expect(isInProgressAt(t, at('2026-02-06T00:00Z'))).toBe(false);
    expect(isInProgressAt(t, at('2026-02-10T12:00Z'))).toBe(true);
  });

  it('an item reopened and not done again has no completion', () => {
    const t = buildTimeline(
      item('A-3', '2026-02-02T08:00Z', [
        ['To Do', 'In Progress', '2026-02-03T09:00Z'],
        ['In Progress', 'Done', '2026-02-04T09:00Z'],
        ['Done', 'In Review', '2026-02-10T09:00Z'],
      ]),
      teamMap,
    );
    expect(t.completedAt).toBeNull();
    expect(inProgressIntervals(t)).toEqual([at('2026-02-03T09:00Z'), at('2026-02-04T09:00Z'), at('2026-02-10T09:00Z'), Infinity]);
  });

  it('moving between two done statuses completes at the first of them', () => {
    const t = buildTimeline(
      item('A-4', '2026-02-02T08:00Z', [
        ['To Do', 'In Progress', '2026-02-03T09:00Z'],
        ['In Progress', 'Done', '2026-02-04T09:00Z'],
        ['Done', 'Closed', '2026-02-05T09:00Z'],
      ]),
      teamMap,
    );
    expect(t.completedAt).toBe(at('2026-02-04T09:00Z'));
    expect(inProgressIntervals(t)).toEqual([at('2026-02-03T09:00Z'), at('2026-02-04T09:00Z')]);
  });

  it('skipped statuses: straight from backlog to done completes without a start', () => {
    const t = buildTimeline(item('A-5', '2026-02-02T08:00Z', [['To Do', 'Done', '2026-02-03T09:00Z']]), teamMap);
    expect(t.startedAt).toBeNull();
    expect(t.completedAt).toBe(at('2026-02-03T09:00Z'));
    expect(inProgressIntervals(t)).toEqual([]);
  });

  it('skipping the touch stage straight into review starts at review', () => {
    const t = buildTimeline(
      item('A-6', '2026-02-02T08:00Z', [
        ['To Do', 'In Review', '2026-02-03T09:00Z'],
        ['In Review', 'Done', '2026-02-04T09:00Z'],
      ]),
      teamMap,
    );
    expect(t.startedAt).toBe(at('2026-02-03T09:00Z'));
  });

  it('never-started and backlog-only items have no start and no completion', () => {
    const backlogOnly = buildTimeline(item('A-7', '2026-02-02T08:00Z', [[null, 'To Do', '2026-02-02T08:00Z']]), teamMap);
    expect(backlogOnly.startedAt).toBeNull();
    expect(backlogOnly.completedAt).toBeNull();
    expect(shape(backlogOnly.steps)).toEqual([['To Do', 'Backlog', '2026-02-02T08:00', null]]);
    const noHistory = buildTimeline(item('A-8', '2026-02-02T08:00Z', []), teamMap);
    expect(noHistory.steps).toEqual([]);
    expect(noHistory.startedAt).toBeNull();
    expect(noHistory.arrivedAt).toBe(at('2026-02-02T08:00Z'));
  });

  it('reports unknown statuses and does not guess their stage', () => {
    const t = buildTimeline(
      item('A-9', '2026-02-02T08:00Z', [
        ['To Do', 'In Progress', '2026-02-03T09:00Z'],
        ['In Progress', 'Blocked', '2026-02-04T09:00Z'],
        ['Blocked', 'In Progress', '2026-02-06T09:00Z'],
        ['In Progress', 'Done', '2026-02-07T09:00Z'],
      ]),
      teamMap,
    );
    expect(t.unknownStatuses).toEqual(['Blocked']);
    expect(shape(t.steps)).toEqual([
      ['To Do', 'Backlog', '2026-02-02T08:00', '2026-02-03T09:00'],
      ['In Progress', 'Doing', '2026-02-03T09:00', '2026-02-04T09:00'],
      ['In Progress', 'Doing', '2026-02-06T09:00', '2026-02-07T09:00'],
      ['Done', 'Done', '2026-02-07T09:00', null],
    ]);
    expect(stepAt(t, at('2026-02-05T00:00Z'))).toBeNull();
    expect(t.completedAt).toBe(at('2026-02-07T09:00Z'));
  });

  it('an item that moved from done into an unknown status is not done', () => {
    const t = buildTimeline(
      item('A-10', '2026-02-02T08:00Z', [
        ['To Do', 'Done', '2026-02-03T09:00Z'],
        ['Done', 'Archived', '2026-02-04T09:00Z'],
      ]),
      teamMap,
    );
    expect(t.completedAt).toBeNull();
    expect(t.unknownStatuses).toEqual(['Archived']);
  });

  it('matches statuses ignoring case and surrounding spaces', () => {
    const t = buildTimeline(item('A-11', '2026-02-02T08:00Z', [['to do', ' in progress ', '2026-02-03T09:00Z']]), teamMap);
    expect(t.steps.map((s) => s.stage)).toEqual(['Backlog', 'Doing']);
    expect(t.unknownStatuses).toEqual([]);
  });

  it('transitions at the same instant are chained from → to', () => {
    const t = buildTimeline(
      item('A-12', '2026-02-02T08:00Z', [
        ['In Progress', 'Done', '2026-02-03T09:00Z'],
        ['To Do', 'In Progress', '2026-02-03T09:00Z'],
      ]),
      teamMap,
    );
    expect(t.steps.map((s) => s.status)).toEqual(['To Do', 'In Progress', 'Done']);
    expect(t.completedAt).toBe(at('2026-02-03T09:00Z'));
  });

  it('with a start status, lead time starts at its first entry; items that never reached it have not arrived', () => {
    const map: StreamMap = { ...teamMap, startStatus: 'Ready' };
    const t = buildTimeline(
      item('A-13', '2026-01-01T08:00Z', [
        ['To Do', 'Ready', '2026-02-02T08:00Z'],
        ['Ready', 'In Progress', '2026-02-03T09:00Z'],
        ['In Progress', 'Done', '2026-02-04T09:00Z'],
      ]),
      map,
    );
    expect(t.arrivedAt).toBe(at('2026-02-02T08:00Z'));
    expect(t.arrived).toBe(true);
    const skipped = buildTimeline(item('A-14', '2026-01-01T08:00Z', [['To Do', 'In Progress', '2026-02-03T09:00Z']]), map);
    expect(skipped.arrivedAt).toBe(at('2026-02-03T09:00Z')); // went past the start status: arrives on entering a later stage
    const waiting = buildTimeline(item('A-15', '2026-01-01T08:00Z', [[null, 'To Do', '2026-01-01T08:00Z']]), map);
    expect(waiting.arrived).toBe(false);
  });

  it('buildTimelines and toTimelines build once and pass timelines through', () => {
    const items = [item('A-1', '2026-02-02T08:00Z', [['To Do', 'In Progress', '2026-02-03T09:00Z']])];
    const timelines = buildTimelines(items, teamMap);
    expect(toTimelines(timelines, teamMap)).toBe(timelines);
    expect(toTimelines(items, teamMap)[0].startedAt).toBe(at('2026-02-03T09:00Z'));
  });
});
