import type { BuiltChart, ChartContext } from './chart-types.ts';
import { MIN_POINTS } from './chart-types.ts';
import { INK } from './palette.ts';
import { layoutOf, periodRange, specHead } from './theme.ts';

/**
 * The image a chart becomes when there is too little data to draw it honestly:
 * the usual title, and one sentence saying how much there is and how much is needed.
 * @example notEnoughData('Cycle time', ctx, 3, 'finished items')
 *   // summary: 'Not enough data yet: 3 finished items, need at least 6 (checkout, 1 Sep – 30 Nov 2026).'
 */
export function notEnoughData(what: string, ctx: ChartContext, count: number, unit: string, needed = MIN_POINTS): BuiltChart {
  const message = `Not enough data yet: ${count} ${unit}, need at least ${needed}`;
  const range = periodRange(ctx);
  const layout = layoutOf(ctx);
  const plotWidth = layout.plotWidth;
  const chat = layout.size === 'chat';
  return {
    enough: false,
    summary: `${message} (${ctx.stream}, ${range}).`,
    spec: {
      ...specHead(what, ctx, [`${count} ${unit} · ${range}`]),
      width: plotWidth,
      height: 160,
      // chat: the message on two lines, so it fits the narrow plot
      data: { values: [{ message: chat ? [`Not enough data yet:`, `${count} ${unit}, need at least ${needed}`] : message, hint: 'The chart appears once more work has finished in this period.' }] },
      layer: [
        {
          mark: { type: 'text', fontSize: chat ? 15 : 18, fontWeight: 'bold', color: INK.text, dy: chat ? -24 : -12 },
          encoding: { text: { field: 'message' }, x: { value: plotWidth / 2 }, y: { value: 80 } },
        },
        {
          mark: { type: 'text', fontSize: chat ? layout.text.note : 12, color: INK.muted, dy: 16 },
          encoding: { text: { field: 'hint' }, x: { value: plotWidth / 2 }, y: { value: 80 } },
        },
      ],
    },
  };
}
