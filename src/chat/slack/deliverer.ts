import { webApi } from '@slack/bolt';
import type { Reply } from '../../reply/reply.ts';
import type { DeliveryOutcome, Deliverer } from '../../nudges/deliverer.ts';
import { isDirectTarget, type NudgeTarget } from '../../nudges/nudge-target.ts';
import { replyToBlocks } from './blocks.ts';

type WebClient = webApi.WebClient;

/** Slack errors that trying again cannot fix, with the fix in words. */
const FINAL: Record<string, string> = {
  not_in_channel: 'flow-nudge is not a member of the channel: invite it with /invite @flow-nudge.',
  channel_not_found: 'the channel is gone or private to flow-nudge: invite it, or bind another channel.',
  is_archived: 'the channel is archived: bind another channel with /flow bind.',
  users_not_found: 'no Slack user has the owner\'s e-mail: map the owner with /flow owner EMAIL @user.',
  user_not_found: 'the owner is not a Slack user here: map the owner with /flow owner EMAIL @user.',
  user_disabled: 'the owner\'s Slack account is deactivated: give the epic another owner.',
  account_inactive: 'the workspace uninstalled flow-nudge or revoked its token: reinstall from /slack/install.',
  invalid_auth: 'the workspace uninstalled flow-nudge or revoked its token: reinstall from /slack/install.',
  token_revoked: 'the workspace uninstalled flow-nudge or revoked its token: reinstall from /slack/install.',
  cannot_dm_bot: 'the owner is a bot: give the epic a person as owner.',
  missing_scope: 'the app lacks a scope (im:write, users:read.email or chat:write): update the app from manifests/slack.yaml and reinstall.',
};

function outcomeOf(error: unknown): DeliveryOutcome {
  const e = error as { code?: string; retryAfter?: number; data?: { error?: string } };
  if (e.code === webApi.ErrorCode.RateLimitedError) return { retryAfterMs: Math.max(0, (e.retryAfter ?? 1) * 1000) };
  const slackError = e.data?.error;
  if (e.code === webApi.ErrorCode.PlatformError && slackError) {
    const fix = FINAL[slackError];
    if (fix) return { failed: `Slack said ${slackError}: ${fix}` };
  }
  return { retryAfterMs: 0 };
}

/** The channel to post in: the bound channel, or the direct message with the owner (found by e-mail or id). */
async function channelOf(client: WebClient, target: NudgeTarget): Promise<string> {
  if (!isDirectTarget(target)) return target.channelId;
  let userId = target.userRef;
  if (userId.includes('@')) {
    const found = await client.users.lookupByEmail({ email: userId });
    userId = found.user?.id ?? '';
  }
  const opened = await client.conversations.open({ users: userId });
  return opened.channel?.id ?? userId;
}

/** Posts one nudge: the text and fields, then each chart as a file in the same conversation. */
async function post(client: WebClient, channel: string, reply: Reply & { moreCharts?: NonNullable<Reply['chart']>[] }): Promise<void> {
  await client.chat.postMessage({ channel, text: reply.text, blocks: replyToBlocks(reply) });
  for (const chart of [reply.chart, ...(reply.moreCharts ?? [])]) {
    if (!chart) continue;
    await client.filesUploadV2({
      channel_id: channel,
      file: chart.png,
      filename: chart.filename ?? `flow-${chart.kind}.png`,
      title: chart.summary.slice(0, 250),
      alt_text: chart.summary.slice(0, 1000),
      initial_comment: chart.summary,
    });
  }
}

/**
 * The Slack deliverer of the nudge outbox: posts a nudge in its channel, or in a direct message
 * to the epic owner (looked up by e-mail when no user id is known). Its client does not wait
 * out a 429 itself: it answers { retryAfterMs } with Slack's Retry-After and the outbox worker
 * tries again then, so nothing is dropped and the worker owns the backoff. Errors that trying
 * again cannot fix are `failed` with the fix.
 */
export function createSlackDeliverer(options: { clientFor: (teamId: string | undefined) => Promise<WebClient> }): Deliverer {
  return {
    platform: 'slack',
    async send(target, reply) {
      try {
        const client = await options.clientFor(target.teamId);
        await post(client, await channelOf(client, target), reply);
        return 'sent';
      } catch (error) {
        return outcomeOf(error);
      }
    },
  };
}

/** Client options for the deliverer: the app's options, but 429s come back to the outbox at once. */
export function delivererClientOptions(options: webApi.WebClientOptions): webApi.WebClientOptions {
  return { ...options, rejectRateLimitedCalls: true, retryConfig: { retries: 2, factor: 2, minTimeout: 200 } };
}
