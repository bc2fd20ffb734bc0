import { describe, expect, it } from 'vitest';
import { cfd } from '../../src/core/cfd.ts';
import { teamMap, weekItems, weekWindow } from './flow-fixtures.ts';

const row = (Backlog: number, Ready: number, Doing: number, review: number, Testing: number, Done: number) =>
  ({ Backlog, Ready, Doing, 'Code review': review, Testing, Done });

describe('cfd', () => {
  it('counts items per stage at the end of each local day; done stays done; uncreated items count nowhere', () => {
    const days = cfd(weekItems(), teamMap, weekWindow);
    expect(days.map((d) => d.date)).toEqual(['2026-02-09', '2026-02-10', '2026-02-11', '2026-02-12', '2026-02-13', '2026-02-14', '2026-02-15']);
    expect(days.map((d) => d.counts)).toEqual([
      row(2, 1, 1, 0, 0, 2), // backlog B-6 B-8 · ready B-3 · doing B-1 · done B-2 B-7
      row(1, 0, 3, 1, 0, 1), // B-7 reopened leaves done; B-8 still doing at midnight
      row(2, 0, 2, 0, 0, 3), // B-4 created; B-1 and B-8 done
      row(1, 0, 1, 1, 0, 4),
      row(0, 0, 1, 1, 0, 5), // B-6 straight to done
      row(1, 0, 1, 1, 0, 5), // B-5 created
      row(1, 0, 1, 1, 0, 5),
    ]);
    expect(Object.keys(days[0].counts)).toEqual(['Backlog', 'Ready', 'Doing', 'Code review', 'Testing', 'Done']);
  });
});
