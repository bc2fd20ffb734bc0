import type { ForecastHowMany, ForecastWhen } from '../core/types.ts';
import type { BuiltChart, ChartContext } from './chart-types.ts';
import { MIN_POINTS } from './chart-types.ts';
import { plural } from './format.ts';
import { withHalo } from './halo.ts';
import { notEnoughData } from './not-enough-data.ts';
import { INK, OKABE_ITO } from './palette.ts';
import { layoutOf, specHead } from './theme.ts';

export interface ForecastInput {
  forecast: ForecastHowMany | ForecastWhen;
  /** how many items finished in the days the forecast resamples (fewer than 6: not enough data) */
  sampleItems?: number;
  /** how many days of throughput were resampled (default 90) */
  sampleDays?: number;
}

const isHowMany = (f: ForecastHowMany | ForecastWhen): f is ForecastHowMany => 'howMany' in f;

/**
 * Forecast histogram: how often each outcome came up in the Monte Carlo trials, with lines at the
 * 50/85/95% confidence levels ("85%: 22 items or more" / "85%: within 41 days").
 * @example forecastChart({ forecast: forecastHowMany({ dailyThroughput, days: 14, seed: 1 }) }, ctx).summary
 *   // 'In the next 14 days: 85% chance of finishing 22 items or more (50%: 28, 95%: 18).'
 */
export function forecastChart(input: ForecastInput, ctx: ChartContext): BuiltChart {
  const f = input.forecast;
  const howMany = isHowMany(f);
  const what = howMany ? `Forecast: items finished in the next ${plural(f.days, 'day')}` : `Forecast: days until ${plural(f.items, 'item')} are done`;
  const sampleDays = input.sampleDays ?? 90;
  const sampleItems = input.sampleItems ?? MIN_POINTS;
  const trialsWithOutcome = f.histogram.reduce((sum, h) => sum + h.trials, 0);
  if (sampleItems < MIN_POINTS || trialsWithOutcome === 0) {
    return notEnoughData(what, ctx, sampleItems, `items finished in the last ${sampleDays} days`);
  }
  const layout = layoutOf(ctx);
  const { plotWidth, plotHeight } = layout;
  const levels = howMany ? f.howMany : f.when;
  const lines = (['50', '85', '95'] as const).map((level, i) => ({
    level,
    value: levels[level],
    label: howMany ? `${level}%: ${levels[level]} or more` : `${level}%: within ${plural(levels[level], 'day')}`,
    row: 6 + i * (layout.text.label + 5),
  }));
  const bars = f.histogram.map((h) => ({ value: h.value, share: h.trials / f.trials }));
  const values = f.histogram.map((h) => h.value);
  const minX = Math.min(...values, ...lines.map((l) => l.value));
  const maxX = Math.max(...values, ...lines.map((l) => l.value));
  const x = {
    field: 'value',
    type: 'quantitative' as const,
    title: howMany ? `Items finished in ${plural(f.days, 'day')}` : `Days until ${plural(f.items, 'item')} are done`,
    scale: { domain: [minX - 0.5, maxX + 0.5], nice: false, zero: false },
    axis: { tickMinStep: 1, format: 'd', grid: false },
  };
  const summary = howMany
    ? `In the next ${plural(f.days, 'day')}: 85% chance of finishing ${f.howMany['85']} items or more ` +
      `(50%: ${f.howMany['50']}, 95%: ${f.howMany['95']}).`
    : `${plural(f.items, 'item')}: 85% chance they are done within ${plural(f.when['85'], 'day')} ` +
      `(50%: ${f.when['50']}, 95%: ${f.when['95']}).`;
  return {
    enough: true,
    summary,
    spec: {
      ...specHead(
        what,
        ctx,
        [`${f.trials.toLocaleString('en-US')} Monte Carlo trials resampling the daily throughput of the last ${sampleDays} days (${plural(sampleItems, 'item')} finished)`],
        howMany
          ? `85% chance of ${f.howMany['85']} items or more in ${plural(f.days, 'day')}`
          : `85% chance ${plural(f.items, 'item')} are done within ${plural(f.when['85'], 'day')}`,
      ),
      width: plotWidth,
      height: plotHeight,
      layer: [
        {
          data: { values: bars },
          mark: { type: 'bar', color: OKABE_ITO.skyBlue, width: Math.max(1, (plotWidth / (maxX - minX + 1)) * 0.9) },
          encoding: {
            x,
            y: {
              field: 'share',
              type: 'quantitative',
              title: 'Share of trials',
              axis: { format: '.0%' },
              // headroom above the bars for the confidence labels
              scale: { domain: [0, Math.max(...bars.map((b) => b.share)) * 1.35], nice: false },
            },
          },
        },
        {
          data: { values: lines },
          mark: { type: 'rule', color: INK.line, strokeDash: [6, 4], strokeWidth: 1.4 },
          encoding: { x: { field: 'value', type: 'quantitative' } },
        },
        ...withHalo({
          data: { values: lines },
          mark: { type: 'text', align: 'left', baseline: 'top', dx: 4, fontSize: layout.text.label, fontWeight: 'bold', color: INK.text },
          encoding: {
            x: { field: 'value', type: 'quantitative' },
            y: { field: 'row', type: 'quantitative', scale: null },
            text: { field: 'label' },
          },
        }),
      ],
    },
  };
}
