/**
 * The value-stream map draws rework loops as arrows back, from the later stage's box into the
 * earlier one, with the items that made the move, at chat size (top to bottom, arrows on the
 * left) and at report size (left to right, arrows above); done and the backlog get a small box
 * when a loop starts or ends there.
 */
import { describe, expect, it } from 'vitest';
import { buildChart } from '../../src/charts/index.ts';
import type { ValueStreamMap } from '../../src/core/value-stream-map.ts';
import { demoFixtures } from './chart-data.ts';
import { expectValidChart, smallestFontSize, svgTextItems } from './expect-chart.ts';
import { countColor, decodePng } from './png-pixels.ts';
import { useChartRenderer } from '../support/chart-renderer.ts';

const charts = useChartRenderer();

const REWORK = '#CC79A7';
const stage = (name: string, kind: 'wait' | 'touch', items: number, medianDays: number) => ({ name, kind, items, medianDays, blockedShare: 0 });
const MAP: ValueStreamMap = {
  stages: [stage('Development', 'touch', 40, 3), stage('Code review', 'wait', 38, 1.5), stage('Testing', 'touch', 36, 2), stage('Ready for release', 'wait', 31, 14.7)],
  leadTime: { items: 30, median: 21, p85: 34 },
  touchDays: 5,
  waitDays: 16.2,
  flowEfficiency: 0.24,
  rework: [
    { from: 'Testing', to: 'Development', items: 14, moves: 17, shareOfPassed: 0.39 },
    { from: 'Code review', to: 'Development', items: 9, moves: 9, shareOfPassed: 0.24 },
    { from: 'Done', to: 'Testing', items: 3, moves: 3, shareOfPassed: 0.1 },
  ],
  blocked: [],
  stalled: 0,
  constraint: { stage: 'Ready for release', waitShare: 0.7, sentence: 'Most waiting happens in Ready for release: 70% of all wait time', cost: null },
  outside: { before: ['Backlog'], after: ['Done'] },
};
const CONTEXT = { stream: 'checkout', periodLabel: 'last 90 days', from: Date.UTC(2026, 8, 1), to: Date.UTC(2026, 10, 30), timeZone: 'UTC' };

type Values = Record<string, number | string>[];
interface Layer {
  data: { values: Values };
  mark: { type: string; color?: string; stroke?: string };
}

/** The picture's layers by what they hold. */
function parts(map: ValueStreamMap, size: 'chat' | 'report') {
  const layers = (buildChart('map', { map, context: { ...CONTEXT, size } }).spec as unknown as { layer: Layer[] }).layer;
  const boxes = layers[0]!.data.values as { x: number; x2: number; y: number; y2: number }[];
  const texts = layers.filter((l) => l.mark.type === 'text' && l.mark.stroke !== 'white').flatMap((l) => l.data.values) as { x: number; y: number; text: string; size: number }[];
  const arrows = layers.filter((l) => l.mark.type === 'rule' && l.mark.color === REWORK).flatMap((l) => l.data.values);
  const heads = layers.filter((l) => l.mark.type === 'point' && l.mark.color === REWORK).flatMap((l) => l.data.values) as { x: number; y: number }[];
  // the counts are the text drawn over a white halo
  const counts = layers.filter((l, i) => l.mark.type === 'text' && layers[i - 1]?.mark.stroke === 'white').flatMap((l) => l.data.values) as { x: number; y: number; text: string; size: number }[];
  // the box a stage's name is written in
  const boxOf = (name: string) => {
    const label = texts.find((t) => t.text === name)!;
    return boxes.find((b) => b.x <= label.x && label.x <= b.x2 && b.y <= label.y && label.y <= b.y2)!;
  };
  return { arrows, heads, counts, boxOf };
}

describe('value-stream map: rework loops as arrows back', () => {
  it('at chat size: an arrow per loop on the left, its head at the earlier box, its count on it', () => {
    const { arrows, heads, counts, boxOf } = parts(MAP, 'chat');
    expect(arrows).toHaveLength(3 * 3); // out, up, in
    expect(counts.map((c) => c.text).sort()).toEqual(['14', '3', '9']);
    expect(counts.every((c) => c.size >= 11)).toBe(true); // ≥ 10 px when the 2x image is shown 480 px wide
    // each head points into the left side of the box of the stage the loop went back to
    for (const [to, count] of [['Development', '14'], ['Development', '9'], ['Testing', '3']] as const) {
      const box = boxOf(to);
      const label = counts.find((c) => c.text === count)!;
      const head = heads.find((h) => h.y >= box.y && h.y <= box.y2 && Math.abs(h.x - box.x) < 8 && arrows.some((a) => a.x === label.x && a.x2 === label.x && Math.min(Number(a.y), Number(a.y2)) <= h.y && h.y <= Math.max(Number(a.y), Number(a.y2))));
      expect(head, `${count} back to ${to}`).toBeDefined();
    }
    // the loop from done starts at a small Done box below the stages
    const done = boxOf('Done');
    expect(done.y).toBeGreaterThan(boxOf('Ready for release').y2);
  });

  it('at report size: arrows above the boxes, from the later box back into the earlier one', () => {
    const { arrows, heads, counts, boxOf } = parts(MAP, 'report');
    expect(arrows).toHaveLength(3 * 3);
    expect(counts.map((c) => c.text).sort()).toEqual(['14 items', '3 items', '9 items']);
    for (const to of ['Development', 'Development', 'Testing']) {
      const box = boxOf(to);
      expect(heads.some((h) => h.x > box.x && h.x < box.x2 && h.y < box.y && h.y > box.y - 10)).toBe(true);
    }
    const done = boxOf('Done');
    expect(done.x).toBeGreaterThan(boxOf('Ready for release').x2); // after the last stage
  });

  it('draws the demo stream\'s loop back from done, legible at chat size and within 1024 px', async () => {
    const { set, context } = demoFixtures().last90;
    const map = set.valueStreamMap;
    expect(map.rework.length).toBeGreaterThan(0);
    for (const size of ['chat', 'report'] as const) {
      const chart = await charts.render('map', { map, context: { ...context, size } });
      expectValidChart(chart);
      const { counts } = parts(map, size);
      const loop = map.rework[0]!;
      expect(counts[0]!.text).toBe(size === 'chat' ? String(loop.items) : `${loop.items} items`);
      expect(svgTextItems(chart.svg).some((t) => t.text === counts[0]!.text)).toBe(true);
      expect(countColor(decodePng(chart.png), REWORK)).toBeGreaterThan(100); // the arrow is drawn
      if (size === 'chat') {
        expect(chart.width).toBeLessThanOrEqual(1024);
        expect(chart.height).toBeLessThanOrEqual(1024);
        expect(smallestFontSize(chart.svg)).toBeGreaterThanOrEqual(11);
      }
    }
  });

  it('a long map (ten stages, three loops, a cost line) still fits 1024 × 1024 px at chat size, its text as large in a 480 px column', async () => {
    const names = ['Intake', 'Triage', 'Discovery', 'Ready for development', 'Development', 'Code review', 'Testing', 'Acceptance', 'Ready for release', 'Release'];
    const long: ValueStreamMap = {
      ...MAP,
      stages: names.map((name, i) => stage(name, i % 2 === 0 ? 'touch' : 'wait', 40 - i, 1 + i)),
      rework: [
        { from: 'Testing', to: 'Development', items: 14, moves: 17, shareOfPassed: 0.39 },
        { from: 'Acceptance', to: 'Discovery', items: 5, moves: 5, shareOfPassed: 0.1 },
        { from: 'Done', to: 'Testing', items: 3, moves: 3, shareOfPassed: 0.1 },
      ],
      constraint: { stage: 'Ready for release', waitShare: 0.4, sentence: 'Most waiting happens in Ready for release: 40% of all wait time', cost: { stage: 'Ready for release', items: 31, averageWaitWeeks: 2.1, cost: 65_100, oneDayLessSaves: 4_429, currency: 'EUR', perWeek: 1_000 } },
    };
    const chart = await charts.render('map', { map: long, context: { ...CONTEXT, stream: 'checkout-and-payments', size: 'chat' } });
    expectValidChart(chart);
    expect(chart.width).toBeLessThanOrEqual(1024);
    expect(chart.height).toBeLessThanOrEqual(1024);
    // shown 480 px wide, the smallest text is as large as in any chat chart (11 CSS px of a 460 px line → ≥ 10 px)
    const cssWidth = Number(/<svg[^>]*\swidth="([\d.]+)"/.exec(chart.svg)![1]);
    expect((smallestFontSize(chart.svg) * 480) / cssWidth).toBeGreaterThanOrEqual(10);
    // a name too long for its box ends in "…", never cut without a sign
    const texts = svgTextItems(chart.svg).map((t) => t.text);
    expect(texts.some((t) => /^Ready for d\S*…$/.test(t))).toBe(true);
    expect(texts).not.toContain('Ready for');
  });

  it('draws no arrow when nothing went back', () => {
    const { arrows, heads, counts } = parts({ ...MAP, rework: [] }, 'chat');
    expect([arrows.length, heads.length, counts.length]).toEqual([0, 0, 0]);
  });
});
