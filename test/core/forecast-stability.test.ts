/**
 * Every forecast carries a stability verdict (issue 17, item 1): the weekly throughput of the
 * sampling window read on its XmR chart. Stable: sampled as before. A shift 8 weeks ago: only the
 * days since it are sampled (tested against the exact distribution of that phase). A shift too
 * recent: the window is sampled, and the words say there is too little stable history.
 */
import { describe, expect, it } from 'vitest';
import { buildTimelines, dailyThroughputBefore, forecastHowMany, forecastStability, forecastWhen, MIN_STABLE_WEEKS, type StreamMap, type WorkItem } from '../../src/core/index.ts';
import { stabilityJson, stabilitySentence } from '../../src/nudges/forecast-stability-words.ts';

const DAY = 86_400_000;
const map: StreamMap = {
  name: 'team',
  timeZone: 'UTC',
  stages: [
    { name: 'Backlog', kind: 'backlog', statuses: ['To Do'] },
    { name: 'Doing', kind: 'touch', statuses: ['In Progress'] },
    { name: 'Done', kind: 'done', statuses: ['Done'] },
  ],
};
/** Monday 2026-11-30, 10:00 UTC: the week before is the last complete one */
const NOW = Date.UTC(2026, 10, 30, 10);
const MONDAY = Date.UTC(2026, 10, 30);

/** Items finished on each day of the weeks before MONDAY: `weeks` lists each week's seven daily counts, oldest first. */
function history(weeks: number[][]): WorkItem[] {
  const items: WorkItem[] = [];
  const first = MONDAY - weeks.length * 7 * DAY;
  weeks.forEach((days, w) => {
    days.forEach((count, d) => {
      for (let k = 0; k < count; k++) {
        const done = first + (w * 7 + d) * DAY + 12 * 3_600_000 + k * 60_000;
        items.push({
          key: `T-${items.length + 1}`, type: 'feature', title: 'x', parentKey: null, isEpic: false, createdAt: done - 3 * DAY,
          transitions: [{ from: 'To Do', to: 'In Progress', at: done - 2 * DAY }, { from: 'In Progress', to: 'Done', at: done }],
        } as WorkItem);
      }
    });
  });
  return items;
}
const six = [1, 2, 1, 2, 0, 0, 0];
const eight = [1, 2, 1, 2, 2, 0, 0];
/** 7 a week on average: 8, 6, 8, 6, … ending on a 6 (below the centre) */
const routine = (n: number) => Array.from({ length: n }, (_, i) => ((n - i) % 2 === 0 ? eight : six));
const twoADay = (n: number) => Array.from({ length: n }, () => [2, 2, 2, 2, 2, 2, 2]);

describe('forecastStability', () => {
  it('a stable history: the verdict says so, and the forecast samples the 90 days as before', () => {
    const timelines = buildTimelines(history(routine(48)), map);
    const stability = forecastStability(timelines, map, [], NOW);
    expect(stability).toMatchObject({ verdict: 'stable', signal: null, sampleDays: 90, weeksRead: 12 });
    expect(stabilitySentence(stability, 'UTC', NOW)).toBe('Throughput has been predictable for the last 12 weeks (no signal).');
  });

  it('a shift 8 weeks ago: names it and since when, and samples only the days since it', () => {
    const timelines = buildTimelines(history([...routine(40), ...twoADay(8)]), map);
    const stability = forecastStability(timelines, map, [], NOW);
    expect(stability.verdict).toBe('shift');
    expect(stability.sampleDays).toBe(56);
    expect(stability.signal).toMatchObject({ week: '2026-W41', since: MONDAY - 56 * DAY, signal: { rule: 'run-of-8', side: 'above' } });
    const words = stabilitySentence(stability, 'UTC', NOW);
    expect(words).toContain('Weekly throughput: 8 weeks in a row above the average of 7 items');
    expect(words).toContain('Throughput shifted on 5 Oct, so this forecast samples only the 56 days since then.');
    // the phase since the shift: exactly 2 a day, so every trial gives the same answer
    const sample = dailyThroughputBefore(timelines, map, NOW, stability.sampleDays);
    expect(sample).toEqual(Array.from({ length: 56 }, () => 2));
    expect(forecastHowMany({ dailyThroughput: sample, days: 14, seed: 1 }).howMany).toEqual({ '50': 28, '85': 28, '95': 28 });
    expect(forecastWhen({ dailyThroughput: sample, items: 30, seed: 1 }).when).toEqual({ '50': 15, '85': 15, '95': 15 });
    // the 90 days would mix the routine weeks in: a lower answer
    expect(forecastHowMany({ dailyThroughput: dailyThroughputBefore(timelines, map, NOW), days: 14, seed: 1 }).howMany['85']).toBeLessThan(28);
    expect(stabilityJson(stability, 'UTC', NOW)).toEqual({
      verdict: 'shift', weeksRead: 12, phaseWeeks: 48, signal: { rule: 'run-of-8', side: 'above', week: '2026-W41', since: '2026-10-05' }, sampleDays: 56, sentence: words,
    });
  });

  it('too little history, or a policy change too recent: the limits are not settled, and the words say so', () => {
    const young = forecastStability(buildTimelines(history(routine(8)), map), map, [], NOW);
    expect(young).toMatchObject({ verdict: 'unsettled', sampleDays: 90, phase: { weeks: 8, event: null } });
    expect(stabilitySentence(young, 'UTC', NOW)).toBe('Too little history to say whether throughput is predictable: 8 whole weeks of throughput, and its limits settle at 12. This forecast samples the last 90 days: treat it with caution.');
    const change = { at: MONDAY - 28 * DAY, text: 'WIP limit 3', kind: 'policy' };
    const changed = forecastStability(buildTimelines(history(routine(48)), map), map, [change], NOW);
    expect(changed).toMatchObject({ verdict: 'unsettled', phase: { weeks: 4, event: change } });
    expect(stabilitySentence(changed, 'UTC', NOW)).toContain("4 whole weeks of throughput since the policy change 'WIP limit 3' on 2 Nov, and its limits settle at 12");
  });

  it('a shift too recent to sample alone: the window is sampled, and the words say why with caution', () => {
    const timelines = buildTimelines(history([...routine(45), ...twoADay(3)]), map);
    const stability = forecastStability(timelines, map, [], NOW);
    expect(stability.verdict).toBe('too-short');
    expect(stability.sampleDays).toBe(90);
    expect(stability.signal?.since).toBe(MONDAY - 21 * DAY);
    expect(stabilitySentence(stability, 'UTC', NOW)).toContain(`Too little stable history since the shift on 9 Nov (3 of the ${MIN_STABLE_WEEKS} weeks a forecast needs), so this forecast still samples the last 90 days, before and after it: treat it with caution.`);
  });
});
