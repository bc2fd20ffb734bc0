/**
 * Chart test data: the demo stream (the same generator `flow-nudge demo` loads) computed with the
 * real core, and a tiny stream of three finished items built by hand.
 */
import { computeReportSet } from '../../src/core/index.ts';
import type { ChartContext } from '../../src/charts/chart-types.ts';
import type { ItemType, ReportSet, StreamMap, WorkItem } from '../../src/core/types.ts';
import { DEMO_MAP, generateDemoStream } from '../../src/demo/demo-stream.ts';

export const DAY = 86_400_000;
/** The fixed "now" of every chart test: 24 Nov 2026, 12:00 UTC. */
export const NOW = Date.UTC(2026, 10, 24, 12);

export interface ChartFixture {
  set: ReportSet;
  map: StreamMap;
  context: ChartContext;
}

let demo: { last90: ChartFixture; lastYear: ChartFixture } | null = null;

/** The demo stream over the last 90 days and over the last year (epics left out, as the bot does). */
export function demoFixtures(): { last90: ChartFixture; lastYear: ChartFixture } {
  if (demo) return demo;
  const stream = generateDemoStream({ end: NOW });
  const items = stream.items.filter((item) => !item.isEpic);
  const fixture = (days: number, periodLabel: string): ChartFixture => {
    const window = { from: NOW - days * DAY, to: NOW + 1 };
    return {
      set: computeReportSet(items, stream.map, stream.events, window, NOW),
      map: stream.map,
      context: { stream: 'demo', periodLabel, from: window.from, to: window.to, timeZone: stream.map.timeZone },
    };
  };
  demo = { last90: fixture(90, 'last 90 days'), lastYear: fixture(365, 'last 12 months') };
  return demo;
}

/** A work item that went Backlog → In Progress → In Review → Done, `days` days of work ending `endDaysAgo` days before NOW. */
function finishedItem(key: string, type: ItemType, days: number, endDaysAgo: number): WorkItem {
  const end = NOW - endDaysAgo * DAY;
  const start = end - days * DAY;
  return {
    key,
    type,
    title: `Tiny ${key}`,
    parentKey: null,
    isEpic: false,
    createdAt: start - DAY,
    transitions: [
      { from: null, to: 'Backlog', at: start - DAY },
      { from: 'Backlog', to: 'In Progress', at: start },
      { from: 'In Progress', to: 'In Review', at: start + (days * DAY) / 2 },
      { from: 'In Review', to: 'Done', at: end },
    ],
  };
}

/** A stream with three finished items and one in progress: fewer than the 6 points a chart needs. */
export function tinyFixture(): ChartFixture {
  const items = [
    finishedItem('T-1', 'feature', 3, 10),
    finishedItem('T-2', 'defect', 5, 6),
    finishedItem('T-3', 'feature', 2, 2),
  ];
  const window = { from: NOW - 90 * DAY, to: NOW + 1 };
  return {
    set: computeReportSet(items, DEMO_MAP, [], window, NOW),
    map: DEMO_MAP,
    context: { stream: 'tiny', periodLabel: 'last 90 days', from: window.from, to: window.to, timeZone: DEMO_MAP.timeZone },
  };
}
