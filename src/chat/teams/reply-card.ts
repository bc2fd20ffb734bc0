/**
 * Reply → Adaptive Card: the summary text, each section as a heading, paragraph and FactSet,
 * the chart as an Image (its summary is the alt text and a caption), and the buttons as
 * Universal Actions. Errors get the attention colour and their fix.
 */
import type { Reply, ReplyButton } from '../../reply/reply.ts';
import { adaptiveCard, executeAction, textBlock, VERBS, type AdaptiveCard, type CardAction, type CardElement } from './adaptive-card.ts';

/** Teams shows at most this many actions in a row; the rest would be hidden in a menu. */
const MAX_ACTIONS = 6;

export interface ReplyCardOptions {
  /** where Teams loads the chart from (see chart-images.ts); without it the chart is left out */
  chartUrl?: string;
}

function buttonAction(button: ReplyButton): CardAction {
  if (button.opens) {
    return executeAction(button.label, VERBS.openForm, { form: button.opens, buttonId: button.id, ...(button.value ? { value: button.value } : {}) });
  }
  return executeAction(button.label, VERBS.command, { buttonId: button.id, command: button.value ?? button.id });
}

/** The card for a command's Reply. */
export function renderReplyCard(reply: Reply, options: ReplyCardOptions = {}): AdaptiveCard {
  const body: CardElement[] = [];
  if (reply.error) {
    body.push(textBlock(reply.text, { color: 'attention', weight: 'bolder' }));
  } else {
    body.push(textBlock(reply.text, { size: 'medium', weight: 'bolder' }));
  }
  for (const section of reply.sections ?? []) {
    const items: CardElement[] = [];
    if (section.title) items.push(textBlock(section.title, { weight: 'bolder', spacing: 'medium' }));
    if (section.text) items.push(textBlock(section.text));
    if (section.fields && section.fields.length > 0) {
      items.push({ type: 'FactSet', facts: section.fields.map((f) => ({ title: f.label, value: f.value })) });
    }
    if (items.length > 0) body.push({ type: 'Container', items, spacing: 'medium' });
  }
  if (reply.chart && options.chartUrl) {
    body.push({ type: 'Image', url: options.chartUrl, altText: reply.chart.summary, size: 'stretch', spacing: 'medium' });
    if (reply.chart.summary !== reply.text) body.push(textBlock(reply.chart.summary, { isSubtle: true, size: 'small' }));
  } else if (reply.chart) {
    body.push(textBlock(reply.chart.summary, { isSubtle: true }));
  }
  const actions = (reply.buttons ?? []).slice(0, MAX_ACTIONS).map(buttonAction);
  if (reply.form && !(reply.buttons ?? []).some((b) => b.opens === reply.form!.kind)) {
    actions.unshift(executeAction(reply.form.kind === 'event-form' ? 'Log an event' : 'Record the anticipated outcome', VERBS.openForm, {
      form: reply.form.kind,
      ...(reply.form.prefill ? { prefill: reply.form.prefill } : {}),
    }));
  }
  return adaptiveCard(body, actions);
}
