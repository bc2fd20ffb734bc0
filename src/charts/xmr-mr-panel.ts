import type { XmrResult } from '../core/types.ts';
import type { Layer } from './chart-types.ts';
import { formatNumber } from './format.ts';
import { niceCeiling } from './nice-ceiling.ts';
import { INK } from './palette.ts';
import type { ChartLayout } from './chart-layout.ts';
import { XMR_LINE_COLOR } from './xmr-wording.ts';
import { boundaryX, placeLabels } from './xmr-layout.ts';
import { withHalo } from './halo.ts';
import { lineEnvelope } from './line-envelope.ts';

/** Height of the mR panel at report and at chat size. */
const MR_PANEL_HEIGHT = { report: 120, chat: 64 };
const MAX_PLAIN_DOTS = 200;

/**
 * The mR panel of an XmR chart: moving ranges as a line, the mean moving range (solid) and the
 * upper range limit (dashed) of each phase, labelled with their values. No range is marked: the
 * chart marks only the points of the signals the answer and the alerts tell (readXmr), and a range
 * above its limit is not one of the rules.
 */
export function xmrMovingRangePanel(result: XmrResult, xs: readonly number[], x: Record<string, unknown>, withLimits: boolean, layout: ChartLayout): Layer {
  const height = MR_PANEL_HEIGHT[layout.size];
  const rows = result.points.flatMap((p, i) => (p.mr === null ? [] : [{ x: xs[i], mr: p.mr, phase: p.phase }]));
  const limitRows = result.phases.flatMap((phase, k) => {
    const last = k === result.phases.length - 1;
    const x0 = boundaryX(xs, phase.startIndex + 1);
    const x1 = phase.endIndex + 1 < xs.length ? boundaryX(xs, phase.endIndex + 1) : xs[phase.endIndex];
    return [
      { phase: phase.index, line: 'URL', x0, x1, value: phase.mrUrl, label: `URL ${formatNumber(phase.mrUrl)}`, last },
      { phase: phase.index, line: 'mean', x0, x1, value: phase.mrCenter, label: `mean mR ${formatNumber(phase.mrCenter)}`, last },
    ];
  });
  let maxValue = 0;
  for (const r of rows) maxValue = Math.max(maxValue, r.mr);
  for (const r of limitRows) maxValue = Math.max(maxValue, r.value);
  const domain: [number, number] = [0, niceCeiling(maxValue)];
  const y = {
    field: 'mr',
    type: 'quantitative' as const,
    title: 'Moving range',
    scale: { domain, nice: false },
    axis: { tickCount: layout.size === 'chat' ? 3 : 4 },
  };
  const xDef = x as { field: string; type: 'quantitative' | 'temporal' };
  const layers: Layer[] = [
    {
      data: { values: lineEnvelope(rows, (r) => r.mr, 2 * layout.plotWidth) },
      mark: { type: 'line', color: XMR_LINE_COLOR, strokeWidth: 1, point: rows.length <= MAX_PLAIN_DOTS ? { size: 14, color: XMR_LINE_COLOR } : false },
      encoding: { x: xDef, y, detail: { field: 'phase', type: 'nominal' } },
    },
  ];
  if (withLimits) {
    layers.push(
      {
        data: { values: limitRows.filter((r) => r.line === 'URL') },
        mark: { type: 'rule', color: INK.limit, strokeDash: [6, 4], strokeWidth: 1.3 },
        encoding: { x: { ...xDef, field: 'x0' }, x2: { field: 'x1' }, y: { ...y, field: 'value' } },
      },
      {
        data: { values: limitRows.filter((r) => r.line === 'mean') },
        mark: { type: 'rule', color: INK.line, strokeWidth: 1.5 },
        encoding: { x: { ...xDef, field: 'x0' }, x2: { field: 'x1' }, y: { ...y, field: 'value' } },
      },
      {
        data: { values: placeLabels(limitRows.filter((r) => r.last), domain, height, 0, layout.text.label + 2) },
        mark: { type: 'text', align: 'left', baseline: 'middle', dx: 6, fontSize: layout.text.label, fontWeight: 'bold', color: INK.text },
        encoding: { x: { value: layout.plotWidth }, y: { field: 'labelY', type: 'quantitative', scale: null }, text: { field: 'label' } },
      },
      ...withHalo({
        data: { values: placeLabels(limitRows.filter((r) => !r.last), domain, height, -8, layout.text.note + 2) },
        mark: { type: 'text', align: 'left', baseline: 'middle', dx: 3, fontSize: layout.text.note, fontWeight: 'bold', color: INK.muted },
        encoding: { x: { ...xDef, field: 'x0' }, y: { field: 'labelY', type: 'quantitative', scale: null }, text: { field: 'label' } },
      }),
    );
  }
  return { width: layout.plotWidth, height, layer: layers };
}
