import { renderPlannedChart } from '../chart-attachment.ts';
import type { BoundStream, CommandContext } from '../context.ts';
import { metricAnswer, xmrAnswer } from '../metric-answers.ts';
import { COMPACT_METRICS, WINDOWED_METRICS } from '../metric-reads.ts';
import type { MetricCommand, XmrSeries } from '../parse.ts';
import type { Period } from '../period.ts';
import type { Reply } from '../../reply/reply.ts';
import type { XmrScale } from '../../core/xmr-reading.ts';
import { loadStreamData } from '../stream-data.ts';

/** `/flow leadtime|cycletime|throughput|wip|aging|efficiency|stages|distribution|cfd [period]` (default: last 90 days) */
export async function metricReply(ctx: CommandContext, stream: BoundStream, metric: MetricCommand, period?: Period): Promise<Reply> {
  const data = await loadStreamData(ctx, stream, period, 90, { windowed: WINDOWED_METRICS.has(metric), leftOut: metric === 'cfd', compact: COMPACT_METRICS.has(metric) });
  const answer = metricAnswer(metric, data);
  const chart = await renderPlannedChart(ctx.charts, answer.chart, data.chartContext, metric);
  return { text: answer.text, sections: answer.sections, chart };
}

/** `/flow xmr [leadtime|cycletime|throughput|wip] [raw] [period]`: the whole history unless a period is given. */
export async function xmrReply(ctx: CommandContext, stream: BoundStream, series: XmrSeries, period?: Period, scale?: XmrScale): Promise<Reply> {
  const data = await loadStreamData(ctx, stream, period, 'all', { compact: true });
  const answer = xmrAnswer(data, series, scale);
  const chart = await renderPlannedChart(ctx.charts, answer.chart, data.chartContext, `xmr-${series}`);
  return { text: answer.text, sections: answer.sections, chart };
}
