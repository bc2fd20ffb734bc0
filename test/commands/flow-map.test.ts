/**
 * `/flow map` and the where-work-waits lines of `/flow stages` on the demo stream: the same
 * numbers as the core, the constraint outlined on the picture, its queue priced.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildChart } from '../../src/charts/index.ts';
import { runCommand, type CommandContext } from '../../src/commands/index.ts';
import { stalledItems, toTimelines, valueStreamMap } from '../../src/core/index.ts';
import { DEMO_MAP } from '../../src/demo/demo-stream.ts';
import { loadDemo } from '../../src/demo/load-demo.ts';
import type { Store } from '../../src/store/database.ts';
import { loadStreamHistory } from '../../src/store/stream-history.ts';
import { saveStream } from '../../src/store/value-streams.ts';
import { openTestStore } from '../support/databases.ts';
import { useChartRenderer } from '../support/chart-renderer.ts';

const charts = useChartRenderer();

const NOW = Date.UTC(2026, 10, 24, 12);
const DAY = 86_400_000;

describe('/flow map on the demo stream', () => {
  let store: Store;
  let ctx: CommandContext;
  beforeAll(async () => {
    store = await openTestStore('sqlite');
    await loadDemo(store, { now: NOW });
    ctx = { store, charts, platform: 'slack', channelId: 'C-MAP', teamId: 'T1', userId: 'U1', now: NOW };
    await runCommand(ctx, 'bind demo');
  });
  afterAll(async () => {
    await store.close();
  });

  it('answers with the map: constraint, lead time and efficiency in words, the picture attached', async () => {
    const history = (await loadStreamHistory(store, 'demo'))!;
    const window = { from: NOW - 90 * DAY, to: NOW + 1 };
    const flow = valueStreamMap(toTimelines(history.items.filter((i) => !i.isEpic), DEMO_MAP), DEMO_MAP, window, NOW);
    const reply = await runCommand(ctx, 'map 90d');
    expect(reply.text).toContain(flow.constraint!.sentence);
    expect(reply.text).toContain(`Lead time median ${flow.leadTime!.median} d`);
    expect(reply.chart?.kind).toBe('map');
    expect(reply.chart!.png.subarray(1, 4).toString()).toBe('PNG');
    // the demo's map sets a cost of delay: the constraint's queue is priced in the answer
    const cost = reply.sections?.find((s) => s.title === 'Cost of delay');
    expect(cost?.text).toMatch(new RegExp(`^${flow.constraint!.stage} held ${flow.constraint!.cost!.items} items for [\\d.]+ days on average: about EUR [\\d,]+ of delay`));
  });

  it('draws the stages in map order, the constraint alone outlined, at chat size within 1024 px', async () => {
    const history = (await loadStreamHistory(store, 'demo'))!;
    const window = { from: NOW - 90 * DAY, to: NOW + 1 };
    const flow = valueStreamMap(toTimelines(history.items.filter((i) => !i.isEpic), DEMO_MAP), DEMO_MAP, window, NOW);
    const context = { stream: 'demo', periodLabel: 'last 90 days', from: window.from, to: window.to, timeZone: DEMO_MAP.timeZone };
    expect(flow.stages.map((s) => s.name)).toEqual(DEMO_MAP.stages.filter((s) => s.kind === 'wait' || s.kind === 'touch').map((s) => s.name));
    for (const size of ['chat', 'report'] as const) {
      const built = buildChart('map', { map: flow, context: { ...context, size } });
      const boxes = (built.spec as { layer: { data: { values: { stroke?: string }[] } }[] }).layer[0]!.data.values;
      expect(boxes.filter((b) => b.stroke === '#D55E00')).toHaveLength(1);
      const chart = await charts.render('map', { map: flow, context: { ...context, size } });
      if (size === 'chat') {
        expect(chart.width).toBeLessThanOrEqual(1024);
        expect(chart.height).toBeLessThanOrEqual(1024);
      } else {
        expect(chart.width).toBeGreaterThan(chart.height); // left to right
      }
    }
  });

  it('/flow aging lists stalled items next to the thresholds, as the core finds them', async () => {
    // a two-day threshold, so the demo has stalled items to list
    const map = { ...DEMO_MAP, stalledAfterDays: 2 };
    await saveStream(store.db, map);
    try {
      const history = (await loadStreamHistory(store, 'demo'))!;
      const stalled = stalledItems(toTimelines(history.items.filter((i) => !i.isEpic), map), map, NOW);
      expect(stalled.length).toBeGreaterThan(0);
      const reply = await runCommand(ctx, 'aging');
      const section = reply.sections?.find((s) => s.title === 'Stalled: no status change for 2+ days');
      expect(section?.text?.split('\n')[0]).toBe(`${stalled[0]!.key} ${stalled[0]!.title} — ${stalled[0]!.idleDays} days in ${stalled[0]!.stage} without a move`);
    } finally {
      await saveStream(store.db, DEMO_MAP);
    }
  });

  it('/flow stages says what waiting in the constraint costs, and rework when there is any', async () => {
    const reply = await runCommand(ctx, 'stages 90d');
    const titles = (reply.sections ?? []).map((s) => s.title);
    expect(titles).toContain('Cost of delay');
    expect(titles).toContain('Rework (moves back to an earlier stage)');
  });
});
