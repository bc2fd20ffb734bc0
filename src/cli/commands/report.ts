import type { Command } from 'commander';
import { agingWip, cycleTime, featureFactoryRatio, flowDistribution, flowEfficiency, leadTime, littlesLaw, netFlow, stageBreakdown, throughput, toTimelines, valueStreamMap, wip } from '../../core/index.ts';
import type { DayCounting, DurationReport, StreamMap, Timeline, Window, WorkItem } from '../../core/types.ts';
import { loadStreamHistory } from '../../store/stream-history.ts';
import { CliError, type CliContext } from '../context.ts';
import { checkDateOption, parseStreamDateOption, requireStream } from '../stream-arg.ts';
import { printReport } from '../print-report.ts';

const DAY = 86_400_000;
export const REPORT_METRICS = ['leadtime', 'cycletime', 'throughput', 'wip', 'arrivals', 'efficiency', 'stages', 'map', 'aging', 'distribution', 'ffr', 'littles-law'] as const;
export type ReportMetric = (typeof REPORT_METRICS)[number];

interface Input {
  items: WorkItem[];
  timelines: readonly Timeline[];
  map: StreamMap;
  window: Window;
  now: number;
  days: DayCounting;
}

const iso = (at: number) => new Date(at).toISOString();

function durations(report: DurationReport) {
  return {
    days: report.days,
    count: report.count,
    percentiles: report.percentiles,
    items: report.items.map((item) => ({ key: item.key, start: iso(item.start), end: iso(item.end), days: item.days })),
  };
}

/** One function per metric; each returns the plain JSON documented in the README. */
const METRICS: Record<ReportMetric, (input: Input) => object> = {
  leadtime: ({ timelines, map, window, days }) => durations(leadTime(timelines, map, window, days)),
  cycletime: ({ timelines, map, window, days }) => durations(cycleTime(timelines, map, window, days)),
  throughput: ({ timelines, map, window }) => throughput(timelines, map, window),
  wip: ({ timelines, map, window }) => ({ perDay: wip(timelines, map, window) }),
  arrivals: ({ timelines, map, window }) => ({ perWeek: netFlow(timelines, map, window) }),
  efficiency: ({ timelines, map, window }) => flowEfficiency(timelines, map, window),
  stages: ({ timelines, map, window, now }) => stageBreakdown(timelines, map, window, Math.min(now, window.to)),
  map: ({ timelines, map, window, now }) => valueStreamMap(timelines, map, window, Math.min(now, window.to)),
  aging: ({ timelines, map, window, now }) => {
    const recent = cycleTime(timelines, map, window, 'calendar');
    const report = agingWip(timelines, map, Math.min(now, window.to), recent.percentiles);
    return { percentiles: report.percentiles, items: report.items.map((item) => ({ ...item, startedAt: iso(item.startedAt) })) };
  },
  distribution: ({ timelines, map, window }) => flowDistribution(timelines, map, window, 'week'),
  ffr: ({ items }) => featureFactoryRatio(items),
  'littles-law': ({ timelines, map, window }) => littlesLaw(timelines, map, window),
};

export function registerReportCommand(program: Command, ctx: CliContext): void {
  program
    .command('report')
    .description(`a flow metric of a stream: ${REPORT_METRICS.join(', ')}`)
    .argument('<metric>', REPORT_METRICS.join('|'))
    .requiredOption('--stream <name>', 'the value stream')
    .option('--from <date>', "start of the window (YYYY-MM-DD in the stream's time zone, or an ISO-8601 time; default 90 days before --to)")
    .option('--to <date>', 'end of the window, exclusive (YYYY-MM-DD or an ISO-8601 time; default now)')
    .option('--days <counting>', 'calendar (inclusive days, the default) or elapsed (fractional days)', 'calendar')
    .option('--json', 'print JSON on stdout')
    .action(async (metric: string, options: { stream: string; from?: string; to?: string; days: string; json?: boolean }) => {
      if (!REPORT_METRICS.includes(metric as ReportMetric)) {
        throw new CliError(`report: "${metric}" is not a metric; use one of ${REPORT_METRICS.join(', ')}`);
      }
      if (options.days !== 'calendar' && options.days !== 'elapsed') {
        throw new CliError(`--days "${options.days}" is not known; use calendar or elapsed`);
      }
      const now = ctx.now();
      // checked before the store is opened; read in the stream's time zone once it is known
      checkDateOption('--to', options.to);
      checkDateOption('--from', options.from);
      await ctx.withStore(async (store) => {
        const { map } = await requireStream(store, options.stream);
        const to = parseStreamDateOption('--to', options.to, map.timeZone) ?? now;
        const from = parseStreamDateOption('--from', options.from, map.timeZone) ?? to - 90 * DAY;
        if (from >= to) throw new CliError(`--from ${options.from ?? iso(from)} is not before --to ${options.to ?? iso(to)}`);
        const history = (await loadStreamHistory(store, options.stream))!;
        const flowItems = history.items.filter((item) => !item.isEpic);
        const timelines = toTimelines(flowItems, history.map);
        const input: Input = { items: history.items, timelines, map: history.map, window: { from, to }, now, days: options.days as DayCounting };
        const computed = METRICS[metric as ReportMetric](input);
        // lead and cycle time keep the documented shape exactly; the others say their window
        const result = metric === 'leadtime' || metric === 'cycletime'
          ? { stream: options.stream, metric, ...computed }
          : { stream: options.stream, metric, from: iso(from), to: iso(to), ...computed };
        if (options.json) ctx.stdout(JSON.stringify(result));
        else printReport(metric as ReportMetric, result, ctx, { from, to, timeZone: history.map.timeZone });
      });
    });
}
