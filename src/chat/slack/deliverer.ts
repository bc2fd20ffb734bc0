import { webApi } from '@slack/bolt';
import type { Reply } from '../../reply/reply.ts';
import { LeaseLostError, runStep, type DeliveryMeta, type DeliveryOutcome, type Deliverer } from '../../nudges/deliverer.ts';
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

/** The byte upload of a chart (files.getUploadURLExternal's upload_url) did not answer 200. */
class UploadRefusedError extends Error {
  constructor(readonly status: number, readonly retryAfterSeconds: number | undefined) {
    super(`Slack's file upload answered HTTP ${status}`);
  }
}

function outcomeOf(error: unknown): DeliveryOutcome {
  if (error instanceof LeaseLostError) return { retryAfterMs: 0 };
  if (error instanceof UploadRefusedError) return { retryAfterMs: Math.max(0, (error.retryAfterSeconds ?? (error.status === 429 ? 1 : 0)) * 1000) };
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

/** Sends a chart's bytes to the upload URL Slack gave (a 429 there comes back with its Retry-After). */
async function uploadBytes(client: WebClient, uploadUrl: string, png: Buffer): Promise<void> {
  const res = await fetch(uploadUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', ...(client.token ? { authorization: `Bearer ${client.token}` } : {}) },
    body: new Uint8Array(png),
  });
  await res.arrayBuffer();
  if (res.status !== 200) {
    const retryAfter = Number.parseInt(res.headers.get('retry-after') ?? '', 10);
    throw new UploadRefusedError(res.status, Number.isNaN(retryAfter) ? undefined : retryAfter);
  }
}

type Chart = NonNullable<Reply['chart']>;

/**
 * Uploads one chart into the channel, in Slack's three calls; the shared file (the call the
 * channel sees) and the uploaded bytes are steps, so a retry neither shares it twice nor
 * uploads it again.
 */
async function postChart(client: WebClient, channel: string, chart: Chart, index: number, meta: DeliveryMeta): Promise<void> {
  const step = `chart:${index}`;
  await runStep(meta, step, async () => {
    const fileId = await runStep(meta, `${step}:uploaded`, async () => {
      const url = await client.files.getUploadURLExternal({
        filename: chart.filename ?? `flow-${chart.kind}.png`,
        length: chart.png.length,
        alt_text: chart.summary.slice(0, 1000),
      });
      if (!url.upload_url || !url.file_id) throw new Error('Slack answered files.getUploadURLExternal without an upload_url or file_id');
      await uploadBytes(client, url.upload_url, chart.png);
      return url.file_id;
    });
    await client.files.completeUploadExternal({
      files: [{ id: fileId, title: chart.summary.slice(0, 250) }],
      channel_id: channel,
      initial_comment: chart.summary,
    });
    return fileId;
  });
}

/** Posts one nudge: the text and fields, then each chart as a file in the same conversation; each call once. */
async function post(client: WebClient, target: NudgeTarget, reply: Reply & { moreCharts?: Chart[] }, meta: DeliveryMeta): Promise<void> {
  const channel = isDirectTarget(target) ? await runStep(meta, 'channel', () => channelOf(client, target)) : target.channelId;
  await runStep(meta, 'message', async () => {
    const posted = await client.chat.postMessage({ channel, text: reply.text, blocks: replyToBlocks(reply) });
    return posted.ts ?? '';
  });
  const charts = [reply.chart, ...(reply.moreCharts ?? [])].filter((c): c is Chart => c !== undefined);
  for (const [index, chart] of charts.entries()) await postChart(client, channel, chart, index, meta);
}

/**
 * The Slack deliverer of the nudge outbox: posts a nudge in its channel, or in a direct message
 * to the epic owner (looked up by e-mail when no user id is known). Its client does not wait
 * out a 429 itself (nor retries a 5xx): it answers { retryAfterMs } with Slack's Retry-After
 * and the outbox worker tries again then, so nothing is dropped and the worker owns the
 * backoff. Each call the channel sees (the message, each shared chart) is a step of the
 * delivery, so a retry resumes after the last one. Errors that trying again cannot fix are
 * `failed` with the fix.
 */
export function createSlackDeliverer(options: { clientFor: (teamId: string | undefined) => Promise<WebClient> }): Deliverer {
  return {
    platform: 'slack',
    async send(target, reply, meta) {
      try {
        const client = await options.clientFor(target.teamId);
        await post(client, target, reply, meta);
        return 'sent';
      } catch (error) {
        return outcomeOf(error);
      }
    },
  };
}

/** Client options for the deliverer: the app's options, but 429s and failures come back to the outbox at once. */
export function delivererClientOptions(options: webApi.WebClientOptions): webApi.WebClientOptions {
  return { ...options, rejectRateLimitedCalls: true, retryConfig: { retries: 0 }, timeout: 30_000 };
}
