import type { FlowEvent } from '../core/types.ts';
import type { ChartLayout } from './chart-layout.ts';
import type { Layer } from './chart-types.ts';
import { formatDay, localDateOf } from './format.ts';
import { withHalo } from './halo.ts';
import { INK } from './palette.ts';
import { measureText } from './text-width.ts';

/** A logged event to draw at `x` (in the chart's x units), with its label. */
export interface EventMark {
  x: number;
  label: string;
}

/** A placed label: its pixel box in the plot, which side of its rule it mostly lies, and its row's y. */
export interface PlacedEventLabel extends EventMark {
  text: string;
  align: 'left' | 'right';
  labelY: number;
  left: number;
  right: number;
}

const GAP = 6;
const DX = 5;
const TOP = 4;

/**
 * An event's label: its text and local date.
 * @example eventLabel({ at: Date.UTC(2026, 9, 12), text: 'WIP limit 3', kind: 'policy' }, 'UTC') // 'WIP limit 3 (12 Oct)'
 */
export function eventLabel(event: FlowEvent, timeZone: string): string {
  return `${event.text} (${formatDay(localDateOf(event.at, timeZone))})`;
}

/** `text` cut to at most `width` pixels, ending in "…" when cut. */
function fitText(text: string, size: number, width: number): string {
  if (measureText(text, size) <= width) return text;
  let cut = text;
  while (cut.length > 1 && measureText(`${cut}…`, size) > width) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}…`;
}

/**
 * Places event labels so that none overlap and all stay inside the plot: each starts just right
 * of its rule, or ends just left of it when the plot ends first, or else lies against the plot's
 * right edge (shortened with "…" only when wider than the plot); a label that would touch an
 * earlier one drops to the next free row. Positions are plot pixels.
 * @example placeEventLabels([{ x: 100, label: 'WIP limit 3' }, { x: 104, label: 'Pairing' }], (x) => x, 330, 12)
 *   // the second label is one row below the first
 */
export function placeEventLabels(marks: readonly EventMark[], pixelOf: (x: number) => number, plotWidth: number, size: number): PlacedEventLabel[] {
  const rowEnds: number[] = [];
  const rowHeight = size + 4;
  return [...marks]
    .sort((a, b) => a.x - b.x)
    .map((mark) => {
      const px = pixelOf(mark.x);
      const text = fitText(mark.label, size, plotWidth);
      const width = measureText(text, size);
      let left: number;
      if (px + DX + width <= plotWidth) left = px + DX;
      else if (px - DX - width >= 0) left = px - DX - width;
      else left = Math.max(0, plotWidth - width);
      const right = left + width;
      const align: 'left' | 'right' = left > px ? 'left' : 'right';
      let row = rowEnds.findIndex((end) => end + GAP <= left);
      if (row === -1) row = rowEnds.length;
      rowEnds[row] = Math.max(rowEnds[row] ?? Number.NEGATIVE_INFINITY, right);
      return { ...mark, text, align, labelY: TOP + row * rowHeight, left, right };
    });
}

/**
 * The layers that draw logged events on a time chart: a dotted rule at each event and its label
 * at the top of the plot, labels kept apart by placeEventLabels. `x` is the chart's x encoding
 * (its field is replaced by the event's x); `pixelOf` turns an x value into plot pixels.
 * @example layer: [...bars, ...eventLayers(events, { field: 'x', type: 'temporal' }, pixelOf, layout)]
 */
export function eventLayers(marks: readonly EventMark[], x: Record<string, unknown>, pixelOf: (x: number) => number, layout: ChartLayout): Layer[] {
  if (marks.length === 0) return [];
  const size = layout.text.label;
  const placed = placeEventLabels(marks, pixelOf, layout.plotWidth, size);
  const xField = { ...x, field: 'x' } as { field: string; type: 'temporal' | 'quantitative' };
  const layers: Layer[] = [
    {
      data: { values: placed.map((p) => ({ x: p.x })) },
      mark: { type: 'rule', color: INK.text, strokeDash: [2, 3], strokeWidth: 1.2 },
      encoding: { x: xField },
    },
  ];
  layers.push(
    ...withHalo({
      data: { values: placed },
      mark: { type: 'text', align: 'left', baseline: 'top', fontSize: size, fontStyle: 'italic', color: INK.text },
      encoding: {
        x: { field: 'left', type: 'quantitative', scale: null },
        y: { field: 'labelY', type: 'quantitative', scale: null },
        text: { field: 'text' },
      },
    }),
  );
  return layers;
}

/**
 * The events that fall inside [from, to) as marks on a date axis (x: UTC midnight of the event's local date).
 * @example eventsInPeriod(events, x0, x1, 'Europe/Berlin', dateToUtcMs)
 */
export function eventsOnDateAxis(
  events: readonly FlowEvent[] | undefined,
  from: number,
  to: number,
  timeZone: string,
  dateToX: (date: string) => number,
): EventMark[] {
  return (events ?? []).flatMap((event) => {
    const x = dateToX(localDateOf(event.at, timeZone));
    return x >= from && x <= to ? [{ x, label: eventLabel(event, timeZone) }] : [];
  });
}
