/**
 * Turns the command layer's platform-neutral Reply into a playground message: the same
 * text, sections, buttons and form; the chart stored in memory and referred to by URL.
 */
import type { Reply, ReplyChart } from '../../reply/reply.ts';
import type { ChartImage, NewMessage } from './channel-log.ts';

export const BOT_NAME = 'flow-nudge';

export interface ReplyMessageOptions {
  kind?: 'reply' | 'nudge';
  /** a label above a nudge, e.g. "Weekly check-in" */
  label?: string;
  /** stores the chart PNG and returns the URL to show it at */
  storeChart(png: Buffer): string;
}

function chartImage(chart: ReplyChart, storeChart: (png: Buffer) => string): ChartImage {
  return { url: storeChart(chart.png), alt: chart.summary, kind: chart.kind };
}

/**
 * @example replyToMessage({ text: 'Bound.' }, { storeChart }) // { author: 'bot', name: 'flow-nudge', kind: 'reply', text: 'Bound.' }
 */
export function replyToMessage(reply: Reply & { moreCharts?: ReplyChart[] }, options: ReplyMessageOptions): NewMessage {
  const message: NewMessage = { author: 'bot', name: BOT_NAME, kind: options.kind ?? 'reply', text: reply.text };
  if (reply.sections && reply.sections.length > 0) message.sections = reply.sections;
  if (reply.chart) message.chart = chartImage(reply.chart, options.storeChart);
  if (reply.moreCharts && reply.moreCharts.length > 0) message.moreCharts = reply.moreCharts.map((c) => chartImage(c, options.storeChart));
  if (reply.buttons && reply.buttons.length > 0) message.buttons = reply.buttons;
  if (reply.ephemeral) message.ephemeral = true;
  if (reply.error) message.fix = reply.error.fix;
  if (reply.form) message.form = reply.form;
  if (options.label) message.label = options.label;
  return message;
}
