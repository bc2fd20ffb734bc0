import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { ChartError } from '../../charts/chart-error.ts';
import { CHART_SIZES, type ChartSize, isChartSize } from '../../charts/chart-layout.ts';
import { chartForStream } from '../../commands/chart-for-stream.ts';
import { CHART_KINDS, isChartKind, unknownChartKindMessage } from '../../charts/index.ts';
import { XMR_SERIES_KINDS, type XmrSeriesKind } from '../../charts/xmr-wording.ts';
import { XMR_SCALES, type XmrScale } from '../../core/xmr-reading.ts';
import { CliError, type CliContext } from '../context.ts';
import { parseDateOption } from '../stream-arg.ts';

interface ChartOptions {
  stream: string;
  from?: string;
  to?: string;
  series?: string;
  scale?: string;
  days?: string;
  items?: string;
  out: string;
  svg?: string;
  size: string;
}

function positiveWhole(option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`chart: ${option} must be a whole number of at least 1, got "${value}"`);
  return n;
}

/** `flow-nudge chart KIND --stream NAME [--from DATE] [--to DATE] [--series S] --out FILE.png` */
export function registerChartCommand(program: Command, ctx: CliContext): void {
  program
    .command('chart')
    .description(`render a flow chart of a stream to a PNG: ${CHART_KINDS.join(', ')}`)
    .argument('<kind>', CHART_KINDS.join('|'))
    .requiredOption('--stream <name>', 'the value stream')
    .requiredOption('--out <file.png>', 'where to write the PNG')
    .option('--from <date>', "start of the period (YYYY-MM-DD in the stream's time zone, or an ISO-8601 time; default 90 days before --to, the whole history for xmr)")
    .option('--to <date>', 'end of the period, exclusive (YYYY-MM-DD or an ISO-8601 time; default now)')
    .option('--series <series>', `xmr only: ${XMR_SERIES_KINDS.join('|')} (default leadtime)`)
    .option('--scale <scale>', `xmr only: ${XMR_SCALES.join('|')} (default: log for leadtime and cycletime, as the alerts read them; linear for throughput and wip)`)
    .option('--days <n>', 'forecast only: how many items in the next N days (default 14)')
    .option('--items <n>', 'forecast only: how many days until N items are done')
    .option('--svg <file.svg>', 'also write the SVG')
    .option('--size <size>', `${CHART_SIZES.join('|')}: chat is what the bot posts (at most 1024 px, for a chat column about 480 px wide); report is large, for documents`, 'chat')
    .action(async (kind: string, options: ChartOptions) => {
      if (!isChartKind(kind)) throw new CliError(`chart: ${unknownChartKindMessage(kind)}`);
      if (options.series !== undefined && kind !== 'xmr') throw new CliError('chart: --series only applies to the xmr chart');
      if (options.series !== undefined && !XMR_SERIES_KINDS.includes(options.series as XmrSeriesKind)) {
        throw new CliError(`chart: --series "${options.series}" is not known; use one of ${XMR_SERIES_KINDS.join(', ')}`);
      }
      if (options.scale !== undefined && kind !== 'xmr') throw new CliError('chart: --scale only applies to the xmr chart');
      if (options.scale !== undefined && !XMR_SCALES.includes(options.scale as XmrScale)) {
        throw new CliError(`chart: --scale "${options.scale}" is not known; use one of ${XMR_SCALES.join(', ')}`);
      }
      if (options.scale === 'log' && (options.series === 'throughput' || options.series === 'wip')) {
        throw new CliError(`chart: --scale log applies to leadtime and cycletime; ${options.series} is read as it is (leave --scale out)`);
      }
      if ((options.days !== undefined || options.items !== undefined) && kind !== 'forecast') {
        throw new CliError('chart: --days and --items only apply to the forecast chart');
      }
      if (options.days !== undefined && options.items !== undefined) throw new CliError('chart: give --days or --items, not both');
      if (!isChartSize(options.size)) throw new CliError(`chart: --size "${options.size}" is not known; use one of ${CHART_SIZES.join(', ')}`);
      if (!options.out.toLowerCase().endsWith('.png')) throw new CliError(`chart: --out "${options.out}" should name a .png file`);
      // a plain date is a day of the stream's own calendar; a full time is an instant
      const isDate = (value: string | undefined): value is string => value !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(value);
      const from = isDate(options.from) ? undefined : parseDateOption('--from', options.from);
      const to = isDate(options.to) ? undefined : parseDateOption('--to', options.to);
      const days = positiveWhole('--days', options.days);
      const items = positiveWhole('--items', options.items);
      await ctx.withStore(async (store) => {
        try {
          const chart = await ctx.withChartRenderer((charts) => chartForStream({ store, charts }, {
            kind,
            stream: options.stream,
            from,
            to,
            fromDate: isDate(options.from) ? options.from : undefined,
            toDate: isDate(options.to) ? options.to : undefined,
            series: options.series as XmrSeriesKind | undefined,
            scale: options.scale as XmrScale | undefined,
            forecast: kind === 'forecast' ? { days, items } : undefined,
            size: options.size as ChartSize,
            now: ctx.now(),
          }));
          await writeFile(options.out, chart.png);
          if (options.svg) await writeFile(options.svg, chart.svg);
          ctx.stdout(chart.summary);
          ctx.stderr(`wrote ${options.out} (${chart.width}×${chart.height} px)`);
        } catch (error) {
          if (error instanceof ChartError) throw new CliError(`chart: ${error.message}`);
          throw error;
        }
      });
    });
}
