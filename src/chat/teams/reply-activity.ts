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
/** Teams refuses a bot message over about 100 KB (413 MessageSizeTooBig): data URIs only below it. */
export const MAX_ACTIVITY_BYTES = 100 * 1024;

export interface ReplyActivityOptions {
  store: Store;
  clock: () => number;
  /**
   * The base URL the client loads chart images from: the public HTTPS URL, or in local use the
   * bot's own http://localhost:PORT (a function: known once the port is open). Without one,
   * charts go inline as data URIs, and only while the whole activity stays under 100 KB.
   */
  publicUrl?: string | (() => string | undefined);
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

/** The base URL chart images are served from, if the client can reach the bot. */
export function chartBaseUrl(options: Pick<ReplyActivityOptions, 'publicUrl'>): string | undefined {
  const url = typeof options.publicUrl === 'function' ? options.publicUrl() : options.publicUrl;
  return url?.trim() || undefined;
}

/** Where Teams loads a chart from: our URL, or (no URL the client can reach) an inline data URI. */
async function chartUrlOf(chart: ReplyChart, options: ReplyActivityOptions, inline: boolean): Promise<string | undefined> {
  const base = chartBaseUrl(options);
  if (base) {
    const token = await saveChartImage(options.store.db, chart.png, options.clock(), options.chartTtlMs ?? CHART_IMAGE_TTL_MS);
    return chartImageUrl(base, token);
  }
  if (inline && chart.png.length <= MAX_INLINE_IMAGE_BYTES) return `data:image/png;base64,${chart.png.toString('base64')}`;
  return undefined;
}

/** Said in place of charts left out because inline they would make the message too big for Teams. */
export const CHARTS_LEFT_OUT =
  'The chart is left out: inline it would make this message bigger than Teams takes (100 KB). Set PUBLIC_URL to this bot\'s HTTPS address so Teams loads charts from it.';

/**
 * The card for a reply (the form card when the reply asks to open a form), with every chart,
 * its hints in the Teams words of `place` (`@flow …` in a channel, the bare command in a 1:1 chat).
 */
export async function replyCard(reply: Reply, options: ReplyActivityOptions, place: TeamsPlace = 'channel', inline = true): Promise<AdaptiveCard> {
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
  for (const chart of chartsOf(worded)) chartUrls.push(await chartUrlOf(chart, options, inline));
  if (!inline && chartUrls.length > 0) return renderReplyCard({ ...worded, sections: [...(worded.sections ?? []), { title: 'Chart', text: CHARTS_LEFT_OUT }] }, { chartUrls });
  return renderReplyCard(worded, { chartUrls });
}

/**
 * The Activity answering `reply`. `inGroup` says whether the conversation is a channel or a
 * group chat (where an ephemeral reply must be targeted at the asker, and hints say `@flow`).
 */
export async function replyActivity(reply: Reply, options: ReplyActivityOptions, inGroup: boolean): Promise<Activity> {
  const place: TeamsPlace = inGroup ? 'channel' : 'personal';
  let activity = cardActivity(await replyCard(reply, options, place), teamsAsk(reply.text, place));
  // Inline charts that would push the message over Teams' limit are left out (and the card says why).
  if (!chartBaseUrl(options) && Buffer.byteLength(JSON.stringify(activity)) > MAX_ACTIVITY_BYTES) {
    activity = cardActivity(await replyCard(reply, options, place, false), teamsAsk(reply.text, place));
  }
  if (reply.ephemeral && inGroup) {
    activity.entities = [...(activity.entities ?? []), { type: 'activityTreatment', treatment: 'targeted' }];
  }
  return activity;
}
