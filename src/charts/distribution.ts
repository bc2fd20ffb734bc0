import type { DistributionReport } from '../core/types.ts';
import { ITEM_TYPES } from '../core/types.ts';
import type { BuiltChart, ChartContext } from './chart-types.ts';
import { MIN_POINTS } from './chart-types.ts';
import { formatDay, formatPercent, plural } from './format.ts';
import { notEnoughData } from './not-enough-data.ts';
import { INK, TYPE_COLORS, TYPE_LABELS } from './palette.ts';
import { layoutOf, periodRange, specHead } from './theme.ts';

export interface DistributionInput {
  report: DistributionReport;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function periodLabel(start: string, granularity: 'week' | 'month'): string {
  if (granularity === 'week') return formatDay(start);
  return `${MONTHS[Number(start.slice(5, 7)) - 1]} ${start.slice(0, 4)}`;
}

/**
 * Flow distribution: the share of finished items by type (feature, defect, risk, debt) per week or
 * month, stacked to 100%, with the number of items above each bar.
 * @example distributionChart({ report }, ctx).summary
 *   // 'Of 122 items finished 26 Aug – 24 Nov 2026: 61% features, 25% defects, 7% risk, 7% debt.'
 */
export function distributionChart(input: DistributionInput, ctx: ChartContext): BuiltChart {
  const { report } = input;
  const what = 'Flow distribution';
  const total = ITEM_TYPES.reduce((sum, t) => sum + report.totals[t], 0);
  if (total < MIN_POINTS) return notEnoughData(what, ctx, total, 'finished items');
  const layout = layoutOf(ctx);
  const chat = layout.size === 'chat';
  const labels = report.periods.map((p) => periodLabel(p.start, report.granularity));
  const rows = report.periods.flatMap((p, i) =>
    ITEM_TYPES.map((t, order) => ({ period: labels[i], type: TYPE_LABELS[t], order, count: p.counts[t] })),
  );
  const totals = report.periods.map((p, i) => ({ period: labels[i], total: p.total, label: String(p.total) }));
  const present = ITEM_TYPES.filter((t) => report.totals[t] > 0);
  const x = {
    field: 'period',
    type: 'ordinal' as const,
    sort: labels,
    title: report.granularity === 'week' ? 'Week starting' : 'Month',
    // chat: a label every few bars, so each is readable
    axis: { labelAngle: 0, labelOverlap: true, ...(chat ? { values: labels.filter((_, i) => i % Math.ceil(labels.length / 5) === 0) } : {}) },
  };
  const names: Record<string, string> = { feature: 'features', defect: 'defects', risk: 'risk', debt: 'debt' };
  const shares = ITEM_TYPES.map((t) => `${formatPercent(report.shares[t])} ${names[t]}`).join(', ');
  const range = periodRange(ctx);
  // the chat title: the two largest shares
  const largest = ITEM_TYPES.filter((t) => report.totals[t] > 0)
    .sort((a, b) => report.shares[b] - report.shares[a])
    .slice(0, 2)
    .map((t) => `${formatPercent(report.shares[t])} ${names[t]}`)
    .join(', ');
  return {
    enough: true,
    summary: `Of ${plural(total, 'item')} finished ${range}: ${shares}.`,
    spec: {
      ...specHead(
        what,
        ctx,
        [`${plural(total, 'item')} finished ${range} · share of each type per ${report.granularity} · number finished above each bar`],
        `${largest} of ${plural(total, 'item')} finished`,
      ),
      width: layout.plotWidth,
      height: layout.plotHeight,
      layer: [
        {
          data: { values: rows },
          mark: { type: 'bar', stroke: 'white', strokeWidth: 0.5 },
          encoding: {
            x,
            y: {
              field: 'count',
              type: 'quantitative',
              stack: 'normalize',
              title: 'Share of finished items',
              axis: { format: '.0%' },
            },
            color: {
              field: 'type',
              type: 'nominal',
              scale: { domain: present.map((t) => TYPE_LABELS[t]), range: present.map((t) => TYPE_COLORS[t]) },
              legend: { orient: 'top', title: null, direction: 'horizontal' },
            },
            order: { field: 'order', type: 'quantitative' },
          },
        },
        {
          data: { values: totals },
          mark: { type: 'text', baseline: 'bottom', dy: -4, fontSize: layout.text.note, color: INK.muted },
          encoding: { x, y: { value: 0 }, text: { field: 'label' } },
        },
      ],
    },
  };
}
