import type { BoundStream, CommandContext } from '../context.ts';
import type { ReplyChartKind, Reply } from '../reply.ts';
import { metricText, xmrText } from '../metric-text.ts';
import type { MetricCommand, XmrSeries } from '../parse.ts';
import type { Period } from '../period.ts';
import { loadStreamReports } from '../stream-reports.ts';
import { renderReplyChart } from '../chart-attachment.ts';

/** The chart each metric answers with. */
const CHART_OF: Record<MetricCommand, { kind: ReplyChartKind; series?: XmrSeries }> = {
  // src/charts' scatterplot is of cycle time; lead time per item is drawn on its XmR chart
  leadtime: { kind: 'xmr', series: 'leadtime' },
  cycletime: { kind: 'scatter' },
  throughput: { kind: 'throughput' },
  wip: { kind: 'xmr', series: 'wip' },
  aging: { kind: 'aging' },
  efficiency: { kind: 'stages' },
  stages: { kind: 'stages' },
  distribution: { kind: 'distribution' },
  cfd: { kind: 'cfd' },
};

/** `/flow leadtime|cycletime|throughput|wip|aging|efficiency|stages|distribution|cfd [period]` */
export async function metricReply(ctx: CommandContext, stream: BoundStream, metric: MetricCommand, period?: Period): Promise<Reply> {
  const data = await loadStreamReports(ctx, stream, period);
  const { text, sections } = metricText(metric, data);
  const chartOf = CHART_OF[metric];
  const chart = await renderReplyChart(ctx, stream, { ...chartOf, from: data.window.from, to: data.window.to, periodLabel: data.periodLabel, name: metric });
  return { text, sections, ...(chart ? { chart } : {}) };
}

/** `/flow xmr [leadtime|cycletime|throughput|wip] [period]`: the whole history unless a period is given. */
export async function xmrReply(ctx: CommandContext, stream: BoundStream, series: XmrSeries, period?: Period): Promise<Reply> {
  const data = await loadStreamReports(ctx, stream, period, 'all');
  const { text, sections } = xmrText(data, series);
  const chart = await renderReplyChart(ctx, stream, {
    kind: 'xmr',
    series,
    ...(period ? { from: data.window.from, to: data.window.to, periodLabel: data.periodLabel } : {}),
    name: `xmr-${series}`,
  });
  return { text, sections, ...(chart ? { chart } : {}) };
}
