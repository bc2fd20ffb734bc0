import { describe, expect, it } from 'vitest';
import { agingWip } from '../../src/core/aging-wip.ts';
import { cycleTime } from '../../src/core/cycle-time.ts';
import type { StreamMap, WorkItem } from '../../src/core/types.ts';

const MAP: StreamMap = {
  name: 'web',
  timeZone: 'Europe/Berlin',
  stages: [
    { name: 'Backlog', kind: 'backlog', statuses: ['Backlog'] },
    { name: 'Doing', kind: 'touch', statuses: ['In Progress'] },
    { name: 'Review', kind: 'wait', statuses: ['In Review'] },
    { name: 'Done', kind: 'done', statuses: ['Done'] },
  ],
};
const PAUSE_AWARE: StreamMap = { ...MAP, pauseAwareCycleTime: true };
const at = (iso: string) => Date.parse(iso);
const item = (key: string, moves: [string, string][]): WorkItem => ({
  key,
  type: 'feature',
  title: key,
  parentKey: null,
  isEpic: false,
  createdAt: at(moves[0]![1]),
  transitions: moves.map(([to, when], i) => ({ from: i === 0 ? null : moves[i - 1]![0], to, at: at(when) })),
});

// Berlin is UTC+1 in February: 09:00Z is 10:00 local
// parked once: started Mon 2 Feb, back in the backlog Tue 3 Feb 15:00 → Fri 6 Feb 09:00 (Wed and Thu whole), done Mon 9 Feb
const ONCE = item('A-1', [
  ['Backlog', '2026-02-01T09:00Z'],
  ['In Progress', '2026-02-02T09:00Z'],
  ['Backlog', '2026-02-03T14:00Z'],
  ['In Progress', '2026-02-06T08:00Z'],
  ['Done', '2026-02-09T16:00Z'],
]);
// parked twice: started Mon 2 Feb; parked Mon 2 Feb 17:00 → Wed 4 Feb 09:00 (Tue whole), and Thu 5 Feb 10:00 → Tue 10 Feb 09:00 (Fri–Mon whole: 4), done Wed 11 Feb
const TWICE = item('A-2', [
  ['Backlog', '2026-02-01T09:00Z'],
  ['In Progress', '2026-02-02T09:00Z'],
  ['Backlog', '2026-02-02T16:00Z'],
  ['In Review', '2026-02-04T08:00Z'],
  ['Backlog', '2026-02-05T09:00Z'],
  ['In Progress', '2026-02-10T08:00Z'],
  ['Done', '2026-02-11T09:00Z'],
]);
// parked until now: started Mon 2 Feb, parked Wed 4 Feb 12:00 local and still there
const PARKED = item('A-3', [
  ['Backlog', '2026-02-01T09:00Z'],
  ['In Progress', '2026-02-02T09:00Z'],
  ['Backlog', '2026-02-04T11:00Z'],
]);
const WINDOW = { from: at('2026-02-01T00:00Z'), to: at('2026-03-01T00:00Z') };
const HOUR = 3_600_000;

describe('pause-aware cycle time', () => {
  it('off by default: the whole span from the start counts, as before', () => {
    const report = cycleTime([ONCE, TWICE], MAP, WINDOW);
    // 2 Feb → 9 Feb inclusive = 8; 2 Feb → 11 Feb = 10
    expect(report.items.map((i) => [i.key, i.days, i.ms])).toEqual([
      ['A-1', 8, at('2026-02-09T16:00Z') - at('2026-02-02T09:00Z')],
      ['A-2', 10, at('2026-02-11T09:00Z') - at('2026-02-02T09:00Z')],
    ]);
    expect(cycleTime([ONCE, TWICE], { ...MAP, pauseAwareCycleTime: false }, WINDOW)).toEqual(report);
  });

  it('parked once: the whole local days in the backlog and its hours are left out', () => {
    const [once] = cycleTime([ONCE], PAUSE_AWARE, WINDOW).items;
    // 8 calendar days − Wed 4 and Thu 5 Feb = 6; elapsed: 7 d 7 h − 2 d 18 h parked = 4 d 13 h
    expect(once!.days).toBe(6);
    expect(once!.ms).toBe((7 * 24 + 7) * HOUR - (2 * 24 + 18) * HOUR);
    expect(cycleTime([ONCE], PAUSE_AWARE, WINDOW, 'elapsed').items[0]!.days).toBeCloseTo(4 + 13 / 24, 10);
  });

  it('parked twice: both pauses are left out', () => {
    const [twice] = cycleTime([TWICE], PAUSE_AWARE, WINDOW).items;
    // 10 calendar days − Tue 3 − Fri 6, Sat 7, Sun 8, Mon 9 = 5; parked 40 h + 119 h
    expect(twice!.days).toBe(5);
    expect(twice!.ms).toBe(at('2026-02-11T09:00Z') - at('2026-02-02T09:00Z') - 40 * HOUR - 119 * HOUR);
  });

  it('parked until now: aging leaves the paused days out and shows the item as paused', () => {
    const now = at('2026-02-09T11:00Z'); // Mon 9 Feb 12:00 local
    const off = agingWip([PARKED], MAP, now, null).items[0]!;
    expect(off).toMatchObject({ key: 'A-3', stage: 'Backlog', ageDays: 8 });
    expect(off).not.toHaveProperty('paused');
    const on = agingWip([PARKED], PAUSE_AWARE, now, null).items[0]!;
    // 2 → 9 Feb inclusive = 8 days, less Thu 5 to Sun 8 (whole days in the backlog) = 4
    expect(on).toMatchObject({ key: 'A-3', stage: 'Backlog', ageDays: 4, paused: true, pausedDays: 4 });
    const working = agingWip([item('A-4', [['Backlog', '2026-02-01T09:00Z'], ['In Progress', '2026-02-02T09:00Z']])], PAUSE_AWARE, now, null).items[0]!;
    expect(working).toMatchObject({ ageDays: 8, paused: false, pausedDays: 0 });
  });
});
