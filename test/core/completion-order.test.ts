import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { completedInOrder } from '../../src/core/completion-order.ts';
import { buildTimelines } from '../../src/core/timeline.ts';
import { item, teamMap, weekItems, weekWindow } from './flow-fixtures.ts';

describe('completedInOrder', () => {
  it('keeps the items completed in the window, by completion', () => {
    const order = completedInOrder(buildTimelines(weekItems(), teamMap), weekWindow);
    expect(order.map((t) => t.item.key)).toEqual(['B-2', 'B-8', 'B-1', 'B-7', 'B-6']);
  });

  it('matches a plain comparator sort, ties ordered by key', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 999 })), { maxLength: 80 }), (rows) => {
        const items = rows.map(([hour, k]) => item(`K-${k}`, '2026-02-01T00:00Z', [['To Do', 'Done', new Date(Date.UTC(2026, 1, 9, hour)).toISOString()]]));
        const timelines = buildTimelines(items, teamMap);
        const expected = [...timelines]
          .filter((t) => t.completedAt! >= weekWindow.from && t.completedAt! < weekWindow.to)
          .sort((a, b) => a.completedAt! - b.completedAt! || (a.item.key < b.item.key ? -1 : a.item.key > b.item.key ? 1 : 0));
        expect(completedInOrder(timelines, weekWindow).map((t) => [t.completedAt, t.item.key])).toEqual(expected.map((t) => [t.completedAt, t.item.key]));
      }),
      { numRuns: 300 },
    );
  });
});
