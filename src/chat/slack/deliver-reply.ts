import type { webApi } from '@slack/bolt';
import { chartsOf, type Reply } from '../../reply/reply.ts';
import { replyToBlocks, slackText } from './blocks.ts';

type WebClient = webApi.WebClient;

/** Where a reply goes: the channel, the user who asked (for ephemeral answers). */
export interface ReplyTarget {
  channelId: string;
  userId: string;
  /** posts through the command's response_url (works when the bot is not in the channel) */
  respond?: (message: { response_type: 'ephemeral' | 'in_channel'; text: string; blocks?: unknown[] }) => Promise<unknown>;
}

function slackError(error: unknown): string | undefined {
  return (error as { data?: { error?: string } }).data?.error;
}

/** Shows a message only to the user who asked: chat.postEphemeral, or the response_url if that fails. */
export async function postEphemeralReply(client: WebClient, target: ReplyTarget, reply: Reply): Promise<void> {
  const blocks = replyToBlocks(reply);
  try {
    await client.chat.postEphemeral({ channel: target.channelId, user: target.userId, text: slackText(reply.text, reply.mentions), blocks });
  } catch (error) {
    if (!target.respond) throw error;
    await target.respond({ response_type: 'ephemeral', text: slackText(reply.text, reply.mentions), blocks });
  }
}

/**
 * Posts a Reply in Slack. Ephemeral replies (help, errors with their fix) go to the asking
 * user only; others go in the channel: the text and fields with chat.postMessage, then the
 * chart uploaded to the channel with files.getUploadURLExternal / completeUploadExternal
 * (filesUploadV2), every chart of the reply, each with its summary as the comment and alt text. When the bot is not in the
 * channel, the user is told to invite it.
 */
export async function deliverReply(client: WebClient, target: ReplyTarget, reply: Reply): Promise<void> {
  if (reply.ephemeral || reply.error) {
    await postEphemeralReply(client, target, reply);
    return;
  }
  try {
    await client.chat.postMessage({ channel: target.channelId, text: slackText(reply.text, reply.mentions), blocks: replyToBlocks(reply) });
    for (const chart of chartsOf(reply)) {
      await client.filesUploadV2({
        channel_id: target.channelId,
        file: chart.png,
        filename: chart.filename ?? `flow-${chart.kind}.png`,
        title: chart.summary.slice(0, 250),
        alt_text: chart.summary.slice(0, 1000),
        initial_comment: chart.summary,
      });
    }
  } catch (error) {
    const code = slackError(error);
    if (code === 'not_in_channel' || code === 'channel_not_found') {
      await postEphemeralReply(client, target, {
        text: 'I cannot post in this channel because I am not a member of it.',
        ephemeral: true,
        error: { code, fix: 'Invite me with /invite @flow-nudge, then run the command again.' },
      });
      return;
    }
    throw error;
  }
}
