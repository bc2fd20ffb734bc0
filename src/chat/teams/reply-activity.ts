/**
 * Reply → the message Activity the bot sends: the reply card (or the form card a reply asks
 * for), with the chart stored and linked by an expiring URL. An ephemeral reply in a channel
 * or group chat becomes a targeted message, which only the asking person sees (the Teams
 * counterpart of Slack's ephemeral messages); in a 1:1 chat every message is private anyway.
 */
import type { Activity } from '@microsoft/agents-activity';
import { CardFactory, MessageFactory } from '@microsoft/agents-hosting';
import { chartsOf, type Reply, type ReplyChart } from '../../reply/reply.ts';
import type { Store } from '../../store/database.ts';
import type { AdaptiveCard } from './adaptive-card.ts';
import { CHART_IMAGE_TTL_MS, chartImageUrl, saveChartImage } from './chart-images.ts';
import { formCard } from './form-cards.ts';
import { renderReplyCard, textBlocks } from './reply-card.ts';
import { outcomeFormPrefill } from '../../nudges/outcome-answer.ts';
import { teamsAsk, teamsWording, type TeamsPlace } from './teams-wording.ts';

/** Teams renders an inline (data URI) card image only up to 1 MB. */
const MAX_INLINE_IMAGE_BYTES = 1024 * 1024;

export interface ReplyActivityOptions {
  store: Store;
  clock: () => number;
  /** the bot's public HTTPS base URL (Teams fetches chart images from it) */
  publicUrl?: string;
  chartTtlMs?: number;
  /** today's date in the stream's time zone, for the event form's date (default: UTC) */
  today?: string;
}

/** A message Activity holding one Adaptive Card. */
export function cardActivity(card: AdaptiveCard, summary?: string): Activity {
  const activity = MessageFactory.attachment(CardFactory.adaptiveCard(card));
  // The preview shown in notifications and the activity feed.
  if (summary) (activity as Activity & { summary?: string }).summary = summary.slice(0, 200);
  return activity;
}

/** Where Teams loads a chart from: our URL, or (no public URL: local use) an inline data URI. */
async function chartUrlOf(chart: ReplyChart, options: ReplyActivityOptions): Promise<string | undefined> {
  if (options.publicUrl) {
    const token = await saveChartImage(options.store.db, chart.png, options.clock(), options.chartTtlMs ?? CHART_IMAGE_TTL_MS);
    return chartImageUrl(options.publicUrl, token);
  }
  if (chart.png.length <= MAX_INLINE_IMAGE_BYTES) return `data:image/png;base64,${chart.png.toString('base64')}`;
  return undefined;
}

/**
 * The card for a reply (the form card when the reply asks to open a form), with every chart,
 * its hints in the Teams words of `place` (`@flow …` in a channel, the bare command in a 1:1 chat).
 */
export async function replyCard(reply: Reply, options: ReplyActivityOptions, place: TeamsPlace = 'channel'): Promise<AdaptiveCard> {
  if (reply.form) {
    const prefill = reply.form.prefill ?? {};
    const today = options.today ?? new Date(options.clock()).toISOString().slice(0, 10);
    // an outcome form's prefill says which outcome it records (outcome: 'actual'), never its text
    const outcome = outcomeFormPrefill(prefill);
    const card = reply.form.kind === 'outcome-form'
      ? formCard('outcome-form', today, outcome.epic ? { epic: outcome.epic } : {}, outcome)
      : formCard('event-form', today, prefill);
    // A form posted for the conversation (an outcome ask in a 1:1 chat) says why it asks, under
    // its title; a command's own form (ephemeral) needs no second heading.
    if (!reply.ephemeral) card.body.splice(1, 0, ...textBlocks(teamsAsk(reply.text, place)));
    return card;
  }
  const worded = teamsWording(reply, place);
  const chartUrls: (string | undefined)[] = [];
  for (const chart of chartsOf(worded)) chartUrls.push(await chartUrlOf(chart, options));
  return renderReplyCard(worded, { chartUrls });
}

/**
 * The Activity answering `reply`. `inGroup` says whether the conversation is a channel or a
 * group chat (where an ephemeral reply must be targeted at the asker, and hints say `@flow`).
 */
export async function replyActivity(reply: Reply, options: ReplyActivityOptions, inGroup: boolean): Promise<Activity> {
  const place: TeamsPlace = inGroup ? 'channel' : 'personal';
  const activity = cardActivity(await replyCard(reply, options, place), teamsAsk(reply.text, place));
  if (reply.ephemeral && inGroup) {
    activity.entities = [...(activity.entities ?? []), { type: 'activityTreatment', treatment: 'targeted' }];
  }
  return activity;
}
