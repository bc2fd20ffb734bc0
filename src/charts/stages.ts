import type { StageBreakdown } from '../core/types.ts';
import type { BuiltChart, ChartContext, Layer } from './chart-types.ts';
import { MIN_POINTS } from './chart-types.ts';
import { formatNumber, formatPercent, plural } from './format.ts';
import { notEnoughData } from './not-enough-data.ts';
import { INK, OKABE_ITO, TOUCH_COLOR, WAIT_COLOR } from './palette.ts';
import { layoutOf, periodRange, specHead } from './theme.ts';

export interface StagesInput {
  breakdown: StageBreakdown;
  /**
   * The flow efficiency of the same items (the efficiency answer: items finished in the period,
   * over their whole lead time): said in the subtitle and the summary, so the chart and the
   * message give one number.
   */
  efficiency?: { overall: number; items: number };
}

const DAY = 86_400_000;

/**
 * Stage breakdown: per stage in flow order, the total time items spent there, as wait time
 * (queues) or touch time (work); the constraint (the stage with most of the wait time) is
 * outlined and named in the title.
 * @example stagesChart({ breakdown }, ctx).spec.title
 *   // { text: 'Most waiting happens in Code review: 41% of all wait time · demo · last 90 days', ... }
 */
export function stagesChart(input: StagesInput, ctx: ChartContext): BuiltChart {
  const { breakdown } = input;
  const stages = breakdown.stages.filter((s) => s.kind === 'wait' || s.kind === 'touch');
  const itemCount = Math.max(0, ...stages.map((s) => s.items));
  if (itemCount < MIN_POINTS || stages.length === 0) return notEnoughData('Time per stage', ctx, itemCount, 'items through the stages');
  const constraint = breakdown.constraint;
  const total = breakdown.totalWaitMs + breakdown.totalTouchMs;
  const layout = layoutOf(ctx);
  const chat = layout.size === 'chat';
  const rows = stages.map((s) => {
    const isConstraint = constraint?.stage === s.stage;
    const share = s.kind === 'wait' ? `${formatPercent(s.waitShare)} of wait time · ` : '';
    return {
      stage: s.stage,
      kind: s.kind === 'wait' ? 'Wait time (queue)' : 'Touch time (work)',
      days: s.totalMs / DAY,
      label: `${isConstraint ? 'Constraint · ' : ''}${share}median ${formatNumber(s.medianMs / DAY)} d${chat ? '' : ` over ${plural(s.items, 'item')}`}`,
      constraint: isConstraint,
    };
  });
  const order = stages.map((s) => s.stage);
  const what = constraint ? constraint.sentence : 'Time per stage';
  const waitShareOfAll = total > 0 ? breakdown.totalWaitMs / total : 0;
  // chat: each bar's label sits above the bar, so the bars can use the whole width
  const band = chat ? 46 : 42;
  const height = Math.max(160, stages.length * band);
  const y = {
    field: 'stage',
    type: 'nominal' as const,
    sort: order,
    title: null,
    axis: { labelFontSize: layout.text.axisLabel + (chat ? 0 : 1), ticks: false, labelPadding: 8, ...(chat ? { labelLimit: 120 } : {}) },
  };
  const xMax = Math.max(...rows.map((r) => r.days));
  const x = {
    field: 'days',
    type: 'quantitative' as const,
    title: chat ? 'Total days in the stage (all items)' : 'Total time in the stage (days, summed over items)',
    scale: { domain: [0, xMax * 1.02], nice: false },
    axis: { grid: false },
  };
  const range = periodRange(ctx);
  const efficiency = input.efficiency
    ? `Flow efficiency ${formatPercent(input.efficiency.overall)}: work is ${formatPercent(input.efficiency.overall)} of the lead time of the ${plural(input.efficiency.items, 'item')} finished. `
    : '';
  const summary = constraint
    ? `${efficiency}${constraint.sentence}. Items spent ${formatPercent(waitShareOfAll)} of their time in stages waiting (${range}).`
    : `${efficiency}No stage holds wait time; items spent all their time in stages being worked on (${range}).`;
  const subtitle = input.efficiency
    ? `flow efficiency ${formatPercent(input.efficiency.overall)} over ${plural(input.efficiency.items, 'finished item')} · waiting is ${formatPercent(waitShareOfAll)} of their time in stages · outlined: the constraint`
    : `${plural(itemCount, 'item')} · ${range} · waiting is ${formatPercent(waitShareOfAll)} of the time in stages · outlined: the constraint`;
  return {
    enough: true,
    summary,
    spec: {
      // chat: the constraint is the title; what, stream and period go below it
      ...specHead(
        chat ? 'Time per stage' : what,
        ctx,
        [subtitle],
        chat ? constraint?.sentence : undefined,
      ),
      width: chat ? layout.plotWidth - 10 : layout.plotWidth - 260,
      height,
      layer: [
        {
          data: { values: rows },
          mark: { type: 'bar', height: { band: chat ? 0.42 : 0.7 }, ...(chat ? { yOffset: 6 } : {}) },
          encoding: {
            y,
            x,
            color: {
              field: 'kind',
              type: 'nominal',
              scale: { domain: ['Wait time (queue)', 'Touch time (work)'], range: [WAIT_COLOR, TOUCH_COLOR] },
              legend: { orient: 'top', title: null, direction: 'horizontal' },
            },
            stroke: { condition: { test: 'datum.constraint', value: OKABE_ITO.vermillion }, value: null },
            strokeWidth: { condition: { test: 'datum.constraint', value: 3 }, value: 0 },
          },
        },
        ...[true, false].map(
          (bold): Layer => ({
            data: { values: rows.filter((row) => row.constraint === bold) },
            mark: chat
              ? { type: 'text', align: 'left', baseline: 'bottom', yOffset: -4, fontSize: layout.text.label, color: INK.text, fontWeight: bold ? 'bold' : 'normal' }
              : { type: 'text', align: 'left', baseline: 'middle', dx: 6, fontSize: layout.text.label, color: INK.text, fontWeight: bold ? 'bold' : 'normal' },
            encoding: chat ? { y, x: { value: 0 }, text: { field: 'label' } } : { y, x, text: { field: 'label' } },
          }),
        ),
      ],
    },
  };
}
