/**
 * Logged events (policy changes, experiments) on every time chart: a rule and a label at the
 * event, and two events close together keep their labels apart, inside the plot.
 */
import { describe, expect, it } from 'vitest';
import { chartLayout } from '../../src/charts/chart-layout.ts';
import { placeEventLabels } from '../../src/charts/event-marks.ts';
import type { ChartInput, RenderedChartWithSummary } from '../../src/charts/index.ts';
import { measureText } from '../../src/charts/text-width.ts';
import { phaseStartsFor, weeklySeriesOf, xmr } from '../../src/core/index.ts';
import type { FlowEvent } from '../../src/core/types.ts';
import { DAY, demoFixtures, NOW } from './chart-data.ts';
import { expectValidChart, type SvgText, svgTextItems } from './expect-chart.ts';
import { useChartRenderer } from '../support/chart-renderer.ts';

const charts = useChartRenderer();

const EVENTS: FlowEvent[] = [
  { at: NOW - 40 * DAY, text: 'WIP limit 3 in Code review', kind: 'policy' },
  { at: NOW - 38 * DAY, text: 'Experiment: pair on every defect', kind: 'experiment' },
];
// 15 Oct and 17 Oct 2026 in the demo's zone
const LABELS = ['WIP limit 3 in Code review (15 Oct)', 'Experiment: pair on every defect (17 Oct)'];

/** The drawn box of a label: anchored at x (start, middle or end), baseline at y. */
function box(item: SvgText): { left: number; right: number; top: number; bottom: number } {
  const width = measureText(item.text, item.fontSize);
  const left = item.anchor === 'end' ? item.x - width : item.anchor === 'middle' ? item.x - width / 2 : item.x;
  return { left, right: left + width, top: item.y - item.fontSize, bottom: item.y + item.fontSize * 0.25 };
}

function expectEventLabelsApart(chart: RenderedChartWithSummary, what: string): void {
  expectValidChart(chart);
  const items = svgTextItems(chart.svg);
  const labels = EVENTS.map((_, i) => {
    // a label may be shortened with "…" when the plot is narrow; it starts like the event's label
    const found = items.find((item) => item.text === LABELS[i] || (item.text.endsWith('…') && LABELS[i].startsWith(item.text.slice(0, -1))));
    expect(found, `${what}: label of "${EVENTS[i].text}"`).toBeDefined();
    return box(found as SvgText);
  });
  const [a, b] = labels;
  const apartSideways = a.right <= b.left || b.right <= a.left;
  const apartUpDown = a.bottom <= b.top || b.bottom <= a.top;
  expect(apartSideways || apartUpDown, `${what}: the two labels overlap`).toBe(true);
  // inside the plot (label x is relative to the plot's group)
  const plotWidth = chartLayout('chat').plotWidth;
  for (const label of labels) {
    expect(label.left, what).toBeGreaterThanOrEqual(-0.5);
    expect(label.right, what).toBeLessThanOrEqual(plotWidth + 0.5);
  }
  // each event has its dotted rule
  expect(chart.svg.match(/stroke-dasharray="2,3"/g)?.length ?? 0, what).toBeGreaterThanOrEqual(2);
}

describe('events on time charts', () => {
  it('marks two close events on the scatterplot, throughput, CFD and WIP XmR charts with labels that do not overlap', async () => {
    const { set, map, context } = demoFixtures().last90;
    charts.takeCompileWarnings();
    const weekly = weeklySeriesOf(set.throughput.perWeek, map.timeZone);
    const phasedThroughput = xmr(weekly.values, { ...phaseStartsFor(weekly.ats, EVENTS), labels: weekly.labels, ats: weekly.ats });
    const wipAts = set.wip.map((d) => Date.parse(`${d.date}T12:00:00Z`));
    const wip = xmr(
      set.wip.map((d) => d.count),
      { ...phaseStartsFor(wipAts, EVENTS), labels: set.wip.map((d) => d.date), ats: wipAts },
    );
    const drawn: [string, Promise<RenderedChartWithSummary>][] = [
      ['scatter', charts.render('scatter', { report: set.cycleTime, events: EVENTS, context })],
      ['throughput', charts.render('throughput', { report: set.throughput, xmr: phasedThroughput, events: EVENTS, context })],
      ['cfd', charts.render('cfd', { days: set.cfd, stages: map.stages, events: EVENTS, context })],
      ['wip xmr', charts.render('xmr', { result: wip, series: 'wip', events: EVENTS, context } as ChartInput<'xmr'>)],
    ];
    for (const [what, chart] of drawn) expectEventLabelsApart(await chart, what);
    expect(charts.takeCompileWarnings()).toEqual([]);
  });

  it('puts a label that would touch an earlier one on the next row, and one near the right edge left of its rule', () => {
    const size = 12;
    const placed = placeEventLabels(
      [
        { x: 100, label: 'WIP limit 3' },
        { x: 104, label: 'Pairing' },
        { x: 320, label: 'Release weekly' },
      ],
      (x) => x,
      330,
      size,
    );
    expect(placed[0].labelY).toBe(4);
    expect(placed[1].labelY).toBeGreaterThanOrEqual(4 + size);
    expect(placed[2].align).toBe('right');
    expect(placed[2].right).toBeLessThanOrEqual(320);
    expect(placed[2].labelY).toBe(4);
  });

  it('leaves out events outside the period', async () => {
    const { set, context } = demoFixtures().last90;
    const old = { at: NOW - 200 * DAY, text: 'Old policy', kind: 'policy' };
    const chart = await charts.render('scatter', { report: set.cycleTime, events: [old], context });
    expect(svgTextItems(chart.svg).some((t) => t.text.startsWith('Old policy'))).toBe(false);
  });
});
