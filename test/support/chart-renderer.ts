/**
 * One chart renderer per test file, as the bot has one per process: made when the file loads
 * (its resvg thread starts at the first chart) and closed after the file's tests.
 * @example const charts = useChartRenderer(); … await charts.render('xmr', input)
 */
import { afterAll } from 'vitest';
import { type ChartRenderer, createChartRenderer } from '../../src/charts/index.ts';

export function useChartRenderer(): ChartRenderer {
  const charts = createChartRenderer();
  afterAll(() => charts.close());
  return charts;
}
