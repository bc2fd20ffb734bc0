import type { BoundStream, CommandContext } from './context.ts';
import type { ReplyChart, ReplyChartKind } from './reply.ts';
import type { XmrSeries } from './parse.ts';

export interface ChartRequest {
  kind: ReplyChartKind;
  from?: number;
  to?: number;
  series?: XmrSeries;
  /** forecast charts: items (when) or days (how many) */
  forecast?: { mode: 'items' | 'days'; amount: number };
  /** the period in words for the chart title, e.g. "last 30 days" */
  periodLabel?: string;
  /** part of the file name, e.g. `leadtime` */
  name: string;
}

/** The signature of chartForStream in src/charts/chart-for-stream.ts. */
type ChartForStream = (
  store: CommandContext['store'],
  options: { kind: ReplyChartKind; stream: string; from?: number; to?: number; series?: XmrSeries; periodLabel?: string; now: number; forecast?: { days?: number; items?: number } },
) => Promise<{ png: Buffer; summary: string }>;

let loaded: Promise<ChartForStream | null> | undefined;

/** src/charts/chart-for-stream.ts, loaded once (null while the charts module is not there). */
function chartForStream(): Promise<ChartForStream | null> {
  loaded ??= import('../charts/chart-for-stream.ts' as string).then(
    (m: { chartForStream: ChartForStream }) => m.chartForStream,
    () => null,
  );
  return loaded;
}

/** Renders the chart of an answer with src/charts; undefined when charts are not available. */
export async function renderReplyChart(ctx: CommandContext, stream: BoundStream, request: ChartRequest): Promise<ReplyChart | undefined> {
  const render = await chartForStream();
  if (!render) return undefined;
  const { png, summary } = await render(ctx.store, {
    kind: request.kind,
    stream: stream.name,
    from: request.from,
    to: request.to,
    series: request.series,
    periodLabel: request.periodLabel,
    now: ctx.now,
    ...(request.forecast ? { forecast: request.forecast.mode === 'items' ? { items: request.forecast.amount } : { days: request.forecast.amount } } : {}),
  });
  return { png, summary, kind: request.kind, filename: `${stream.name}-${request.name}.png` };
}
