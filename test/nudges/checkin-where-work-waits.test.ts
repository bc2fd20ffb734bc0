/**
 * The check-in's constraint section says what the constraint's queue cost over the last 90 days
 * (or how to set a cost of delay) and names the rework loops that changed against the 90 days
 * before, on a hand-built stream whose numbers are counted by hand, and on the demo.
 */
import { describe, expect, it } from 'vitest';
import { queueCost, toTimelines, type StreamMap, type WorkItem } from '../../src/core/index.ts';
import { DEMO_MAP, generateDemoStream } from '../../src/demo/demo-stream.ts';
import { constraintSection } from '../../src/nudges/checkin-sections.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 11, 3, 12);

const MAP: StreamMap = {
  name: 'checkout',
  timeZone: 'UTC',
  stages: [
    { name: 'Backlog', kind: 'backlog', statuses: ['To Do'] },
    { name: 'Development', kind: 'touch', statuses: ['In Progress'] },
    { name: 'Code review', kind: 'wait', statuses: ['In Review'] },
    { name: 'Testing', kind: 'touch', statuses: ['Testing'] },
    { name: 'Done', kind: 'done', statuses: ['Done'] },
  ],
};

/** An item started `daysAgo` days before NOW: a day in each stage, and with `back` a second round from Testing. */
function item(key: string, daysAgo: number, back: boolean): WorkItem {
  const t0 = NOW - daysAgo * DAY;
  const path = back ? ['In Progress', 'In Review', 'Testing', 'In Progress', 'In Review', 'Testing', 'Done'] : ['In Progress', 'In Review', 'Testing', 'Done'];
  let from = 'To Do';
  const transitions = path.map((to, i) => {
    const move = { from, to, at: t0 + i * 12 * HOUR };
    from = to;
    return move;
  });
  return { key, type: 'feature', title: `Item ${key}`, parentKey: null, isEpic: false, createdAt: t0 - DAY, transitions };
}

/** 10 items in each 90-day window; `backBefore` of the earlier ones and `backNow` of the later ones go back from Testing. */
function stream(backBefore: number, backNow: number): WorkItem[] {
  return [
    ...Array.from({ length: 10 }, (_, i) => item(`OLD-${i}`, 170 - i * 8, i < backBefore)),
    ...Array.from({ length: 10 }, (_, i) => item(`NEW-${i}`, 85 - i * 8, i < backNow)),
  ];
}

describe('check-in: the constraint section', () => {
  it('names a rework loop that grew, in plain words, and says how to set a cost of delay', () => {
    const { text } = constraintSection(stream(1, 4), MAP, NOW);
    const lines = text!.split('\n');
    // 4 of the 10 items tested in the last 90 days went back (1 of 10 the 90 days before)
    expect(lines).toContain('Testing → Development: 4 items in 90 days, 40% of those in Testing (up from 10% the 90 days before)');
    expect(lines).toContain('Rework that changed (moves back to an earlier stage):');
    expect(text).toContain("Set costOfDelay in the stream's map file (e.g. costOfDelay: { perWeek: 3000, currency: EUR }) to see what the wait in Code review costs.");
    expect(lines.at(-1)).toBe('What is one policy that would make it wait less?');
    expect(lines.every((line) => line.length <= 200)).toBe(true); // a 15-minute agenda: short lines
  });

  it('says nothing of rework that held, names one that went away, and prices the queue when a cost is set', () => {
    const priced = { ...MAP, costOfDelay: { perWeek: 7000, currency: 'EUR' } };
    const held = constraintSection(stream(2, 2), priced, NOW).text!;
    expect(held).not.toMatch(/Rework|→/);
    // 10 items waited in review in the last 90 days, 12 h each, 2 of them twice: 12 half-days = 6 days
    // at EUR 1,000 a day; one day less for each of the 10 items saves EUR 10,000
    expect(held).toContain('Code review held 10 items for 0.6 days on average in the last 90 days: about EUR 6,000 of delay; one day less of that wait is worth about EUR 10,000.');
    const gone = constraintSection(stream(2, 0), MAP, NOW).text!;
    expect(gone).toContain('Testing → Development: no item in 90 days (down from 2 items, 20% of those in Testing, the 90 days before)');
  });

  it('on the demo, the cost line is the core\'s reading of the constraint named above it', () => {
    const demo = generateDemoStream({ end: NOW });
    const flow = demo.items.filter((i) => !i.isEpic);
    const { text } = constraintSection(demo.items, DEMO_MAP, NOW);
    const stage = /^Most waiting happens in (.+?):/.exec(text!)![1]!;
    const cost = queueCost(toTimelines(flow, DEMO_MAP), DEMO_MAP, stage, { from: NOW - 90 * DAY, to: NOW + 1 }, NOW)!;
    expect(text).toContain(`${stage} held ${cost.items} items for `);
    expect(text).toContain(` on average in the last 90 days: about EUR ${Math.round(cost.cost).toLocaleString('en-US')} of delay`);
  });
});
