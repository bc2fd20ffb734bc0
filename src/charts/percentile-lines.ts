import type { Percentiles } from '../core/types.ts';
import type { Layer } from './chart-types.ts';
import { formatNumber } from './format.ts';
import { withHalo } from './halo.ts';
import { INK } from './palette.ts';
import { spreadLabels } from './spread-labels.ts';
import { PLOT_HEIGHT, PLOT_WIDTH } from './theme.ts';

/**
 * Dashed horizontal lines at the 50/70/85/95th percentiles, each labelled in the right margin
 * ("85%: 9 days"), labels spread apart when values are close. The y scale must be [0, yMax].
 * @example layer: [...dots, ...percentileLines(report.percentiles, 40)]
 */
export function percentileLines(p: Percentiles, yMax: number, height = PLOT_HEIGHT): Layer[] {
  const levels = (['50', '70', '85', '95'] as const).map((level) => ({
    level,
    days: p[level],
    label: `${level}%: ${formatNumber(p[level])} ${p[level] === 1 ? 'day' : 'days'}`,
  }));
  const labelY = spreadLabels(levels.map((l) => height - (l.days / yMax) * height), 14, 6, height);
  const rows = levels.map((l, i) => ({ ...l, labelY: labelY[i] }));
  return [
    {
      data: { values: rows },
      mark: { type: 'rule', color: INK.line, strokeDash: [6, 4], strokeWidth: 1.2 },
      encoding: { y: { field: 'days', type: 'quantitative', scale: { domain: [0, yMax], nice: false } } },
    },
    ...withHalo({
      data: { values: rows },
      mark: { type: 'text', align: 'left', baseline: 'middle', dx: 6, fontSize: 11, fontWeight: 'bold', color: INK.text },
      encoding: {
        x: { value: PLOT_WIDTH },
        y: { field: 'labelY', type: 'quantitative', scale: null },
        text: { field: 'label' },
      },
    }),
  ];
}
