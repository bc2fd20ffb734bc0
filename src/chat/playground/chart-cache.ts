/**
 * Chart PNGs of the playground, kept in memory and served at `/playground/charts/<id>.png`.
 * Least recently used charts are dropped past `maxCharts`; their URL then answers 404 and
 * the page shows the chart's summary instead.
 */
import { randomBytes } from 'node:crypto';

export const CHART_PATH_PREFIX = '/playground/charts/';

export interface ChartCache {
  /** stores a PNG; returns its id and URL path */
  put(png: Buffer): { id: string; url: string };
  /** the PNG of an id (marks it recently used), or undefined once dropped */
  get(id: string): Buffer | undefined;
  size(): number;
}

export function createChartCache(options: { maxCharts?: number } = {}): ChartCache {
  const max = options.maxCharts ?? 100;
  const charts = new Map<string, Buffer>();
  // A prefix per server run, so a browser never shows a cached image of an earlier run.
  const run = randomBytes(3).toString('hex');
  let counter = 0;
  return {
    put(png) {
      const id = `${run}-${++counter}`;
      charts.set(id, png);
      while (charts.size > max) charts.delete(charts.keys().next().value!);
      return { id, url: `${CHART_PATH_PREFIX}${id}.png` };
    },
    get(id) {
      const png = charts.get(id);
      if (png) {
        charts.delete(id);
        charts.set(id, png);
      }
      return png;
    },
    size: () => charts.size,
  };
}
