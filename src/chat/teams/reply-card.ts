/**
 * Reply → Adaptive Card: the summary text, each section as a heading, its lines (one TextBlock
 * per line: Teams joins the lines of one TextBlock into a paragraph) and a FactSet, each chart
 * as an Image (its summary is the alt text; the summary is shown as text only when there is no image), the buttons as Universal Actions.
 * Errors get the attention colour and their fix. A person named `@name` becomes a Teams
 * mention: `<at>name</at>` in the text and a mention entity in the card.
 */
import { chartsOf, type Reply, type ReplyButton, type ReplyMention } from '../../reply/reply.ts';
import { adaptiveCard, executeAction, textBlock, VERBS, type AdaptiveCard, type CardAction, type CardElement } from './adaptive-card.ts';

/** Teams shows at most this many actions in a row; the rest would be hidden in a menu. */
const MAX_ACTIONS = 6;

export interface ReplyCardOptions {
  /** where Teams loads the (first) chart from (see chart-images.ts); without it the chart is left out */
  chartUrl?: string;
  /** where Teams loads each chart of the reply from, in order (overrides `chartUrl`) */
  chartUrls?: (string | undefined)[];
}

/** One TextBlock per non-empty line; the options go on the first, the rest follow a small gap below. */
export function textBlocks(text: string, options: Record<string, unknown> = {}): CardElement[] {
  const lines = text.split('\n').map((l) => l.trimEnd()).filter((l) => l.trim() !== '');
  return lines.map((line, i) => (i === 0 ? textBlock(line, options) : textBlock(line, { ...options, spacing: 'small' })));
}

/** `@name` of each mentioned person → `<at>name</at>` (Teams shows and notifies the person). */
function withMentions(text: string, mentions: readonly ReplyMention[]): string {
  let result = text;
  for (const m of mentions) result = result.split(`@${m.name}`).join(`<at>${m.name}</at>`);
  return result;
}

function buttonAction(button: ReplyButton, form: Reply['form']): CardAction {
  if (button.opens) {
    // a button that opens the reply's own form carries its prefill (the stream, which outcome)
    const prefill = form && form.kind === button.opens && form.prefill ? { prefill: form.prefill } : {};
    return executeAction(button.label, VERBS.openForm, { form: button.opens, buttonId: button.id, ...(button.value ? { value: button.value } : {}), ...prefill });
  }
  return executeAction(button.label, VERBS.command, { buttonId: button.id, command: button.value ?? button.id });
}

/** The card for a command's Reply. */
export function renderReplyCard(reply: Reply, options: ReplyCardOptions = {}): AdaptiveCard {
  const mentions = reply.mentions ?? [];
  const lines = (text: string, style: Record<string, unknown> = {}) => textBlocks(withMentions(text, mentions), style);
  const body: CardElement[] = [];
  body.push(...lines(reply.text, reply.error ? { color: 'attention', weight: 'bolder' } : { size: 'medium', weight: 'bolder' }));
  for (const section of reply.sections ?? []) {
    const items: CardElement[] = [];
    if (section.title) items.push(textBlock(section.title, { weight: 'bolder', spacing: 'medium' }));
    if (section.text) items.push(...lines(section.text));
    if (section.fields && section.fields.length > 0) {
      items.push({ type: 'FactSet', facts: section.fields.map((f) => ({ title: f.label, value: withMentions(f.value, mentions) })) });
    }
    if (items.length > 0) body.push({ type: 'Container', items, spacing: 'medium' });
  }
  const urls = options.chartUrls ?? (options.chartUrl ? [options.chartUrl] : []);
  chartsOf(reply).forEach((chart, i) => {
    const url = urls[i];
    if (url) {
      // a chart the client loads by URL opens full size on click (a data URI cannot be opened)
      const open = /^https?:/.test(url) ? { selectAction: { type: 'Action.OpenUrl', url, title: 'Open the chart full size' } } : {};
      // the summary is the image's alt text; shown again under the picture it repeats what the card and the chart say
      body.push({ type: 'Image', url, altText: chart.summary, size: 'stretch', spacing: 'medium', ...open });
    } else {
      body.push(textBlock(chart.summary, { isSubtle: true }));
    }
  });
  const actions = (reply.buttons ?? []).slice(0, MAX_ACTIONS).map((button) => buttonAction(button, reply.form));
  if (reply.form && !(reply.buttons ?? []).some((b) => b.opens === reply.form!.kind)) {
    actions.unshift(executeAction(reply.form.kind === 'event-form' ? 'Log an event' : 'Record the anticipated outcome', VERBS.openForm, {
      form: reply.form.kind,
      ...(reply.form.prefill ? { prefill: reply.form.prefill } : {}),
    }));
  }
  const card = adaptiveCard(body, actions);
  if (mentions.length > 0) {
    card.msteams = {
      width: 'Full',
      entities: mentions.map((m) => ({ type: 'mention', text: `<at>${m.name}</at>`, mentioned: { id: m.userId, name: m.name } })),
    };
  }
  return card;
}
