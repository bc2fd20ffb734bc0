/**
 * The value-stream map chart: the picture (value-stream-map-picture.ts) as Vega-Lite layers, its
 * title block with the constraint and what its queue costs, and the summary said beside it.
 */
import type { QueueCost } from '../core/cost-of-delay.ts';
import type { ValueStreamMap } from '../core/value-stream-map.ts';
import type { BuiltChart, ChartContext, Layer } from './chart-types.ts';
import { MIN_POINTS } from './chart-types.ts';
import { formatNumber, plural } from './format.ts';
import { notEnoughData } from './not-enough-data.ts';
import { INK } from './palette.ts';
import { layoutOf, periodRange, specHead } from './theme.ts';
import { withHalo } from './halo.ts';
import { chatPicture, DRAWN_LOOPS, END_BOX_WIDTH, footLines, loopLayout, type Picture, REPORT_GAP, reportPicture, REWORK_COLOR } from './value-stream-map-picture.ts';

export interface ValueStreamMapInput {
  map: ValueStreamMap;
}

/**
 * The cost sentence of the constraint's queue, or how to set a cost of delay; `during` says the
 * period when the sentence stands alone (the weekly check-in: " in the last 90 days").
 * @example queueCostSentence(map) // 'Ready for release held 31 items for 2.1 weeks on average: about EUR 65,000 of delay; …'
 */
export function queueCostSentence(map: { constraint: { stage: string; cost: QueueCost | null } | null }, during = ''): string | null {
  const constraint = map.constraint;
  if (!constraint) return null;
  const cost = constraint.cost;
  if (!cost) return `Set costOfDelay in the stream's map file (e.g. costOfDelay: { perWeek: 3000, currency: EUR }) to see what the wait in ${constraint.stage} costs.`;
  const money = (value: number): string => `${cost.currency} ${Math.round(value).toLocaleString('en-US')}`;
  const wait = cost.averageWaitWeeks < 2 ? `${formatNumber(cost.averageWaitWeeks * 7)} days` : `${formatNumber(cost.averageWaitWeeks)} weeks`;
  return `${constraint.stage} held ${plural(cost.items, 'item')} for ${wait} on average${during}: about ${money(cost.cost)} of delay; one day less of that wait is worth about ${money(cost.oneDayLessSaves)}.`;
}

function layers(picture: Picture, width: number): Layer[] {
  const { boxes, labels, height } = picture;
  const x = { type: 'quantitative' as const, scale: { domain: [0, width], nice: false, zero: false }, axis: null };
  const y = { type: 'quantitative' as const, scale: { domain: [height, 0], nice: false, zero: false }, axis: null };
  const out: Layer[] = [
    {
      data: { values: boxes },
      mark: { type: 'rect', cornerRadius: 6, strokeWidth: 3 },
      encoding: {
        x: { field: 'x', ...x },
        x2: { field: 'x2' },
        y: { field: 'y', ...y },
        y2: { field: 'y2' },
        fill: { field: 'color', type: 'nominal', scale: null },
        stroke: { field: 'stroke', type: 'nominal', scale: null },
      },
    },
  ];
  if (picture.arrows.length > 0) {
    out.push({
      data: { values: picture.arrows },
      mark: { type: 'rule', color: REWORK_COLOR, strokeWidth: 2, strokeCap: 'round' },
      encoding: { x: { field: 'x', ...x }, x2: { field: 'x2' }, y: { field: 'y', ...y }, y2: { field: 'y2' } },
    });
    out.push({
      data: { values: picture.heads },
      mark: { type: 'point', shape: picture.headShape, filled: true, size: 70, color: REWORK_COLOR, opacity: 1 },
      encoding: { x: { field: 'x', ...x }, y: { field: 'y', ...y } },
    });
  }
  for (const align of ['left', 'center', 'right'] as const) {
    for (const bold of [false, true]) {
      const values = labels.filter((l) => (l.align ?? 'left') === align && Boolean(l.bold) === bold);
      if (values.length === 0) continue;
      out.push({
        data: { values },
        mark: { type: 'text', align, baseline: 'middle', fontWeight: bold ? 'bold' : 'normal' },
        encoding: {
          x: { field: 'x', ...x },
          y: { field: 'y', ...y },
          text: { field: 'text' },
          size: { field: 'size', type: 'quantitative', scale: null },
          color: { field: 'color', type: 'nominal', scale: null },
        },
      });
    }
  }
  if (picture.counts.length > 0) {
    out.push(
      ...withHalo({
        data: { values: picture.counts },
        mark: { type: 'text', align: 'center', baseline: 'middle', fontWeight: 'bold', color: INK.text },
        encoding: { x: { field: 'x', ...x }, y: { field: 'y', ...y }, text: { field: 'text' }, size: { field: 'size', type: 'quantitative', scale: null } },
      }),
    );
  }
  return out;
}

/**
 * The value-stream map from data: the stages in map order with items and median time, the
 * ladder of touch and wait time, the totals, rework loops, and the constraint outlined, named in
 * the title with what its queue costs.
 * @example valueStreamMapChart({ map }, ctx).summary // 'Most waiting happens in Code review: … Lead time: median 14 d …'
 */
export function valueStreamMapChart(input: ValueStreamMapInput, ctx: ChartContext): BuiltChart {
  const { map } = input;
  const itemCount = Math.max(0, ...map.stages.map((s) => s.items));
  if (itemCount < MIN_POINTS || map.stages.length === 0) return notEnoughData('Value-stream map', ctx, itemCount, 'items through the stages');
  const layout = layoutOf(ctx);
  const chat = layout.size === 'chat';
  const loops = loopLayout(map, chat ? DRAWN_LOOPS.chat : DRAWN_LOOPS.report);
  const ends = loops.before.length + loops.after.length;
  const width = chat ? layout.lineWidth : Math.max(layout.plotWidth, map.stages.length * 150 + ends * (END_BOX_WIDTH + REPORT_GAP));
  const picture = chat ? chatPicture(map, width, layout.text, loops) : reportPicture(map, width, layout.text, loops);
  const cost = queueCostSentence(map);
  const finding = map.constraint ? `${map.constraint.sentence}.` : 'No stage holds wait time.';
  const summary = [finding, ...footLines(map, chat ? DRAWN_LOOPS.chat : DRAWN_LOOPS.report).map((line) => `${line}.`), ...(cost ? [cost] : [])].join(' ');
  return {
    enough: true,
    summary,
    spec: {
      ...specHead('Value-stream map', ctx, [`${periodRange(ctx)} · outlined: the constraint`, ...(cost ? [cost] : [])], chat ? finding : undefined),
      width,
      height: picture.height,
      layer: layers(picture, width),
    },
  };
}
