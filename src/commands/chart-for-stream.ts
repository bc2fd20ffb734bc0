import {
  agingWip,
  cfd,
  cycleTime,
  dailyThroughputBefore,
  dateToDayNumber,
  getZoneCalendar,
  completeIsoWeeks,
  flowDistribution,
  ForecastError,
  forecastHowMany,
  forecastWhen,
  stageBreakdown,
  throughput,
  valueStreamMap,
  toTimelines,
  currentPhaseSignals,
  readStreamXmr,
  forecastStability,
  xmrWeeksOf,
  type XmrScale,
} from '../core/index.ts';
import { parseStrictDate } from '../core/strict-time.ts';
import type { FlowEvent, StreamMap, Timeline, Window } from '../core/types.ts';
import type { Store } from '../store/database.ts';
import { loadStreamHistory } from '../store/stream-history.ts';
import { listStreams } from '../store/value-streams.ts';
import { ChartError } from '../charts/chart-error.ts';
import type { ChartSize } from '../charts/chart-layout.ts';
import type { BuiltChart, ChartContext } from '../charts/chart-types.ts';
import { formatDateRange, localDateOf } from '../charts/format.ts';
import { buildChart, type ChartKind, type ChartRenderer, isChartKind, type RenderedChartWithSummary, unknownChartKindMessage } from '../charts/index.ts';
import { notEnoughData } from '../charts/not-enough-data.ts';
import { XMR_SERIES_KINDS, type XmrSeriesKind } from '../charts/xmr-wording.ts';

const DAY = 86_400_000;
/** Most charts show the last 90 days unless a period is given. */
export const DEFAULT_PERIOD_DAYS = 90;
/** The forecast's default question: how many items in the next 14 days. */
export const DEFAULT_FORECAST_DAYS = 14;

export interface ChartForStreamOptions {
  kind: ChartKind | string;
  stream: string;
  /** start of the period, epoch ms (default: 90 days before `to`; the whole history for xmr) */
  from?: number;
  /** end of the period, epoch ms, exclusive (default: just after `now`) */
  to?: number;
  /** start of the period as a local date of the stream (YYYY-MM-DD, from its midnight); instead of `from` */
  fromDate?: string;
  /** end of the period as a local date of the stream (YYYY-MM-DD, exclusive: up to its midnight); instead of `to` */
  toDate?: string;
  /** the XmR chart's series (default leadtime) */
  series?: XmrSeriesKind;
  /** the XmR chart's scale: lead and cycle time are read on the log scale unless `linear` */
  scale?: XmrScale;
  /** the period in words for the title (default: derived from from/to) */
  periodLabel?: string;
  /** forecast: how many items in `days` (default 14), or when `items` will be done */
  forecast?: { days?: number; items?: number; seed?: number };
  /** chat (default: for a chat column, at most 1024 px) or report (large) */
  size?: ChartSize;
  now: number;
}

interface StreamData {
  map: StreamMap;
  timelines: readonly Timeline[];
  events: FlowEvent[];
  window: Window;
  now: number;
}

function earliestActivity(timelines: readonly Timeline[], fallback: number): number {
  let earliest = fallback;
  for (const t of timelines) if (t.arrivedAt < earliest) earliest = t.arrivedAt;
  return earliest;
}

function build(kind: ChartKind, data: StreamData, options: ChartForStreamOptions, chartContext: ChartContext): BuiltChart {
  let context = chartContext;
  const { timelines, map, window, events } = data;
  const at = Math.min(data.now, window.to);
  switch (kind) {
    case 'scatter':
      return buildChart('scatter', { report: cycleTime(timelines, map, window), events, context });
    case 'xmr': {
      // the one reading of /flow xmr, the check-in and the alerts (readStreamXmr); the current phase's signals marked
      const series = options.series ?? 'leadtime';
      const reading = readStreamXmr(series, timelines, map, events, window, options.scale);
      return buildChart('xmr', { result: currentPhaseSignals(reading.result), series, nonNegative: true, scale: reading.scale, context });
    }
    case 'aging': {
      const recent = cycleTime(timelines, map, window);
      const report = agingWip(timelines, map, at, recent.percentiles);
      return buildChart('aging', { report, stages: map.stages, finishedCount: recent.count, context });
    }
    case 'cfd':
      return buildChart('cfd', { days: cfd(timelines, map, window), stages: map.stages, events, context });
    case 'throughput': {
      // the weeks and limits of the one weekly-throughput reading (/flow throughput, the alerts)
      const report = throughput(timelines, map, window);
      const reading = readStreamXmr('throughput', timelines, map, events, window);
      return buildChart('throughput', { report, xmr: currentPhaseSignals(reading.result), events, context });
    }
    case 'distribution': {
      const granularity = window.to - window.from > 180 * DAY ? 'month' : 'week';
      return buildChart('distribution', { report: flowDistribution(timelines, map, window, granularity), context });
    }
    case 'stages':
      return buildChart('stages', { breakdown: stageBreakdown(timelines, map, window, at), context });
    case 'map':
      return buildChart('map', { map: valueStreamMap(timelines, map, window, at), context });
    case 'forecast': {
      // the sample the stability verdict leaves (the days since a shift of weekly throughput, else 90)
      const { sampleDays } = forecastStability(timelines, map, events, at);
      const dailyThroughput = dailyThroughputBefore(timelines, map, at, sampleDays);
      if (options.periodLabel === undefined) context = { ...context, periodLabel: `based on the last ${sampleDays} days` };
      const sampleItems = dailyThroughput.reduce((sum, n) => sum + n, 0);
      const seed = options.forecast?.seed ?? Math.floor(at / DAY);
      const items = options.forecast?.items;
      const days = options.forecast?.days ?? DEFAULT_FORECAST_DAYS;
      const what = items !== undefined ? `Forecast: days until ${items} items are done` : `Forecast: items finished in the next ${days} days`;
      try {
        const forecast = items !== undefined ? forecastWhen({ dailyThroughput, items, seed }) : forecastHowMany({ dailyThroughput, days, seed });
        return buildChart('forecast', { forecast, sampleItems, sampleDays: dailyThroughput.length, context });
      } catch (error) {
        if (error instanceof ForecastError && error.code === 'no-throughput') {
          return notEnoughData(what, context, sampleItems, `items finished in the last ${dailyThroughput.length} days`);
        }
        throw error;
      }
    }
  }
}

/**
 * Loads a value stream from the store, computes the chart's metric with the core, and renders it:
 * the function the chat layer calls for `/flow <chart>`. Epics are left out (they are containers,
 * not flow items). Default period: the last 90 days; the whole history for the XmR chart; the
 * forecast resamples the 90 days before the period's end.
 * `charts` draws it (the program's renderer).
 * @example const { png, summary } = await chartForStream({ store, charts }, { kind: 'scatter', stream: 'checkout', now: Date.now() })
 */
export async function chartForStream(deps: { store: Store; charts: Pick<ChartRenderer, 'renderBuilt'> }, requested: ChartForStreamOptions): Promise<RenderedChartWithSummary> {
  const { store } = deps;
  let options = requested;
  const kind = options.kind;
  if (!isChartKind(kind)) throw new ChartError('unknown-kind', unknownChartKindMessage(kind));
  if (options.series !== undefined && !XMR_SERIES_KINDS.includes(options.series)) {
    throw new ChartError('bad-input', `Unknown XmR series "${options.series}": choose one of ${XMR_SERIES_KINDS.join(', ')}.`);
  }
  const history = await loadStreamHistory(store, options.stream);
  if (!history) {
    const names = (await listStreams(store.db)).map((s) => s.name);
    const known = names.length > 0 ? `known streams: ${names.join(', ')}` : 'there are no streams yet: load one with flow-nudge import or flow-nudge demo';
    throw new ChartError('unknown-stream', `There is no value stream "${options.stream}" (${known}).`);
  }
  const map = history.map;
  const calendar = getZoneCalendar(map.timeZone);
  const localMidnight = (option: string, date: string): number => {
    const read = parseStrictDate(date);
    if (!read.ok) throw new ChartError('bad-input', `${option} ${read.reason}.`);
    return calendar.startOfDay(dateToDayNumber(date));
  };
  if (options.fromDate !== undefined) options = { ...options, from: localMidnight('The start date', options.fromDate) };
  if (options.toDate !== undefined) options = { ...options, to: localMidnight('The end date', options.toDate) };
  const timelines = toTimelines(history.items.filter((item) => !item.isEpic), map);
  const to = options.to ?? options.now + 1;
  const wholeHistory = kind === 'xmr' && options.from === undefined;
  const from = options.from ?? (wholeHistory ? earliestActivity(timelines, to - DEFAULT_PERIOD_DAYS * DAY) : to - DEFAULT_PERIOD_DAYS * DAY);
  if (!(from < to)) {
    throw new ChartError('bad-input', `The period starts (${new Date(from).toISOString()}) at or after it ends (${new Date(to).toISOString()}): give a start before the end.`);
  }
  const periodLabel =
    options.periodLabel ??
    (kind === 'forecast'
      ? `based on the last ${DEFAULT_PERIOD_DAYS} days`
      : wholeHistory
        ? 'whole history'
        : options.from === undefined && options.to === undefined
          ? `last ${DEFAULT_PERIOD_DAYS} days`
          : formatDateRange(localDateOf(from, map.timeZone), localDateOf(to - 1, map.timeZone)));
  // weekly counts: complete ISO weeks only (a week in progress reads low, and could even look like a signal)
  // (the XmR chart's weekly series find their complete weeks themselves: xmrSeriesOf)
  const weekly = kind === 'throughput';
  const window = weekly ? (xmrWeeksOf(timelines, map, { from, to }) ?? completeIsoWeeks({ from, to }, calendar)) : { from, to };
  const context: ChartContext = { stream: options.stream, periodLabel, from: window.from, to: window.to, timeZone: map.timeZone, size: options.size };
  const built = build(kind, { map, timelines, events: history.events, window, now: options.now }, options, context);
  return deps.charts.renderBuilt(built);
}
