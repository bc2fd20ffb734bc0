import type { Percentiles } from '../core/types.ts';
import type { Layer } from './chart-types.ts';
import { formatNumber } from './format.ts';
import { INK } from './palette.ts';
import { spreadLabels } from './spread-labels.ts';
import { PLOT_HEIGHT, PLOT_WIDTH } from './theme.ts';

/** How percentile lines are drawn (also by the dense-dots overlay, which draws them itself). */
export const PERCENTILE_DASH: [number, number] = [6, 4];
export const PERCENTILE_RULE_WIDTH = 1.2;

/**
 * Dashed horizontal lines at the 50/70/85/95th percentiles, each labelled in the right margin
 * ("85%: 9 days"), labels spread apart when values are close. The y scale must be [0, yMax].
 * With `rules: false` only the labels are drawn (the lines come with a dense-dots overlay).
 * @example layer: [...dots, ...percentileLines(report.percentiles, 40)]
 */
export function percentileLines(p: Percentiles, yMax: number, height = PLOT_HEIGHT, options: { rules?: boolean } = {}): Layer[] {
  const levels = (['50', '70', '85', '95'] as const).map((level) => ({
    level,
    days: p[level],
    label: `${level}%: ${formatNumber(p[level])} ${p[level] === 1 ? 'day' : 'days'}`,
  }));
  const labelY = spreadLabels(levels.map((l) => height - (l.days / yMax) * height), 14, 6, height);
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
      mark: { type: 'text', align: 'left', baseline: 'middle', dx: 6, fontSize: 11, fontWeight: 'bold', color: INK.text },
      encoding: {
        x: { value: PLOT_WIDTH },
        y: { field: 'labelY', type: 'quantitative', scale: null },
        text: { field: 'label' },
      },
    },
  ];
}
