import type { Percentiles } from '../core/types.ts';
import type { ChartLayout } from './chart-layout.ts';
import type { Layer } from './chart-types.ts';
import { formatNumber } from './format.ts';
import { INK } from './palette.ts';
import { spreadLabels } from './spread-labels.ts';

/** How percentile lines are drawn (also by the dense-dots overlay, which draws them itself). */
export const PERCENTILE_DASH: [number, number] = [6, 4];
export const PERCENTILE_RULE_WIDTH = 1.2;

/**
 * Dashed horizontal lines at the 50/70/85/95th percentiles, each labelled in the right margin
 * ("85%: 9 days"), labels spread apart when values are close. The y scale must be [0, yMax];
 * the plot is the layout's size unless `height` is given.
 * With `rules: false` only the labels are drawn (the lines come with a dense-dots overlay).
 * @example layer: [...dots, ...percentileLines(report.percentiles, 40, layout)]
 */
export function percentileLines(p: Percentiles, yMax: number, layout: ChartLayout, options: { rules?: boolean; height?: number } = {}): Layer[] {
  const height = options.height ?? layout.plotHeight;
  const size = layout.text.label;
  const levels = (['50', '70', '85', '95'] as const).map((level) => ({
    level,
    days: p[level],
    label: `${level}%: ${formatNumber(p[level])} ${p[level] === 1 ? 'day' : 'days'}`,
  }));
  const labelY = spreadLabels(levels.map((l) => height - (l.days / yMax) * height), size + 3, 6, height);
  const rows = levels.map((l, i) => ({ ...l, labelY: labelY[i] }));
  const rules: Layer[] =
    options.rules === false
      ? []
      : [
          {
            data: { values: rows },
            mark: { type: 'rule', color: INK.line, strokeDash: [...PERCENTILE_DASH], strokeWidth: PERCENTILE_RULE_WIDTH },
            encoding: { y: { field: 'days', type: 'quantitative', scale: { domain: [0, yMax], nice: false } } },
          },
        ];
  return [
    ...rules,
    {
      data: { values: rows },
      mark: { type: 'text', align: 'left', baseline: 'middle', dx: 6, fontSize: size, fontWeight: 'bold', color: INK.text },
      encoding: {
        x: { value: layout.plotWidth },
        y: { field: 'labelY', type: 'quantitative', scale: null },
        text: { field: 'label' },
      },
    },
  ];
}
