/**
 * A whole history's XmR chart (issue 18): 100k finished items cannot each have a vertex across a
 * chat column, so the line goes through each pixel column's first, lowest, highest and last point
 * (src/charts/line-envelope.ts). It must look the same as the line through every point.
 */
import { describe, expect, it } from 'vitest';
import { buildChart, type ChartContext } from '../../src/charts/index.ts';
import { lineEnvelope } from '../../src/charts/line-envelope.ts';
import { XMR_RULE_WORDS } from '../../src/charts/xmr-wording.ts';
import { xmr } from '../../src/core/index.ts';
import { createRandom } from '../../src/core/random.ts';
import { XMR_RULES } from '../../src/core/types.ts';
import { useChartRenderer } from '../support/chart-renderer.ts';
import { decodePng } from './png-pixels.ts';

const charts = useChartRenderer();

/** A seeded series of lead times: skewed, with a shift two thirds of the way. */
function leadTimes(n: number): number[] {
  const random = createRandom(7);
  return Array.from({ length: n }, (_, i) => Math.round(-Math.log(1 - random()) * (i > (2 * n) / 3 ? 9 : 6) * 10) / 10);
}

describe('the line of a chart with more points than pixels', () => {
  it('keeps every column\'s first, lowest, highest and last point, in order, per phase', () => {
    const values = leadTimes(50_000);
    const rows = values.map((value, i) => ({ x: i + 1, value, phase: i < 30_000 ? 0 : 1 }));
    const columns = 660;
    const kept = lineEnvelope(rows, (r) => r.value, columns);
    expect(kept.length).toBeLessThanOrEqual(4 * (columns + 1));
    expect(kept.length).toBeGreaterThan(columns);
    expect(kept[0]).toBe(rows[0]);
    expect(kept.at(-1)).toBe(rows.at(-1));
    for (let i = 1; i < kept.length; i += 1) expect(kept[i]!.x).toBeGreaterThan(kept[i - 1]!.x);
    // per column and phase: the extremes of all points are among those kept
    const key = (r: { x: number; phase: number }) => `${r.phase}:${Math.min(columns - 1, Math.floor(((r.x - 1) / (rows.length - 1)) * columns))}`;
    const extremes = (list: typeof rows) => {
      const out = new Map<string, [number, number]>();
      for (const r of list) {
        const [low, high] = out.get(key(r)) ?? [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
        out.set(key(r), [Math.min(low, r.value), Math.max(high, r.value)]);
      }
      return out;
    };
    expect(extremes(kept)).toEqual(extremes(rows));
    // few points: all of them
    expect(lineEnvelope(rows.slice(0, 2_000), (r) => r.value, columns)).toHaveLength(2_000);
  });

  it('draws a 40,000-point XmR chart at chat width as the chart with every point and every signal mark does', async () => {
    const result = xmr(leadTimes(40_000), { baseline: 20 });
    const context: ChartContext = { stream: 'demo', periodLabel: 'whole history', from: Date.UTC(2025, 0, 1), to: Date.UTC(2026, 11, 1), timeZone: 'UTC', size: 'chat' } as ChartContext;
    const built = buildChart('xmr', { result, series: 'leadtime', context });
    const thinned = await charts.renderBuilt(built);
    // the same spec with every point on the lines
    const spec = structuredClone(built.spec) as unknown as { vconcat: { layer: { mark: { type: string }; data?: { values: unknown[] } }[] }[] };
    const everyPoint = result.points.map((p, i) => ({ x: i + 1, value: p.value, mr: p.mr, phase: p.phase }));
    const everySignal = result.points.flatMap((p, i) => {
      const rule = XMR_RULES.find((r) => p.rules.includes(r));
      return rule ? [{ x: i + 1, value: p.value, mr: p.mr, phase: p.phase, signal: XMR_RULE_WORDS[rule], label: p.label ?? '' }] : [];
    });
    expect(everySignal.length).toBeGreaterThan(2_000);
    let lines = 0;
    let marks = 0;
    for (const panel of spec.vconcat) {
      for (const layer of panel.layer) {
        if (layer.mark.type === 'point' && layer.data) {
          expect(layer.data.values.length).toBeLessThan(everySignal.length);
          layer.data.values = everySignal;
          marks += 1;
        }
        if (layer.mark.type !== 'line' || !layer.data) continue;
        expect(layer.data.values.length).toBeLessThan(6_000);
        layer.data.values = layer.data.values[0] && 'mr' in (layer.data.values[0] as object) && !('value' in (layer.data.values[0] as object)) ? everyPoint.filter((r) => r.mr !== null) : everyPoint;
        lines += 1;
      }
    }
    expect([lines, marks]).toEqual([2, 1]);
    const full = await charts.renderSpec(spec as never);
    expect([thinned.width, thinned.height]).toEqual([full.width, full.height]);
    const a = decodePng(thinned.png);
    const b = decodePng(full.png);
    let differ = 0;
    for (let i = 0; i < a.rgba.length; i += 4) {
      const d = Math.abs(a.rgba[i]! - b.rgba[i]!) + Math.abs(a.rgba[i + 1]! - b.rgba[i + 1]!) + Math.abs(a.rgba[i + 2]! - b.rgba[i + 2]!);
      if (d > 96) differ += 1;
    }
    // anti-aliasing along the line differs (0.3% of the pixels, looked at side by side); no mark moves
    expect(differ / (a.rgba.length / 4)).toBeLessThan(0.005);
  }, 60_000);
});
