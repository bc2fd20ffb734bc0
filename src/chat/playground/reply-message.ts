/**
 * Turns the command layer's platform-neutral Reply into a playground message: the same
 * text, sections, buttons and form; the chart stored in memory and referred to by URL.
 */
import type { Reply } from '../../commands/reply.ts';
import type { NewMessage } from './channel-log.ts';

export const BOT_NAME = 'flow-nudge';

export interface ReplyMessageOptions {
  kind?: 'reply' | 'nudge';
  /** a label above a nudge, e.g. "Weekly check-in" */
  label?: string;
  /** stores the chart PNG and returns the URL to show it at */
  storeChart(png: Buffer): string;
}

/** Outbox payloads carry the PNG as base64; replies from the command layer as bytes. */
function pngBytes(png: Buffer | string): Buffer {
  return typeof png === 'string' ? Buffer.from(png, 'base64') : png;
}

/**
 * @example replyToMessage({ text: 'Bound.' }, { storeChart }) // { author: 'bot', name: 'flow-nudge', kind: 'reply', text: 'Bound.' }
 */
export function replyToMessage(reply: Reply, options: ReplyMessageOptions): NewMessage {
  const message: NewMessage = { author: 'bot', name: BOT_NAME, kind: options.kind ?? 'reply', text: reply.text };
  if (reply.sections && reply.sections.length > 0) message.sections = reply.sections;
  if (reply.chart) {
    message.chart = { url: options.storeChart(pngBytes(reply.chart.png)), alt: reply.chart.summary, kind: reply.chart.kind };
  }
  if (reply.buttons && reply.buttons.length > 0) message.buttons = reply.buttons;
  if (reply.ephemeral) message.ephemeral = true;
  if (reply.error) message.fix = reply.error.fix;
  if (reply.form) message.form = reply.form;
  if (options.label) message.label = options.label;
  return message;
}
