/**
 * The playground's deliverer for the nudges outbox: a nudge for the playground channel (or a
 * direct message to anyone: the person at the keyboard plays every role) is appended to the
 * channel, where the page shows it as the bot posting on its own.
 */
import type { Reply } from '../../commands/reply.ts';

/** Where the outbox sends a nudge: a channel, or a person (direct message). */
export type PlaygroundTarget = { platform: string; channelId?: string; teamId?: string; userRef?: string };

export type DeliveryResult = 'sent' | { retryAfterMs: number } | { failed: string };

/** The shape of src/nudges' Deliverer, for platform 'playground'. */
export interface PlaygroundDeliverer {
  platform: 'playground';
  send(target: PlaygroundTarget, reply: Reply): Promise<DeliveryResult>;
}

/**
 * @param channelId the playground's one channel
 * @param post appends a nudge to it (index.ts: replyToMessage + the channel log)
 */
export function createPlaygroundDeliverer(channelId: string, post: (reply: Reply, label: string) => void): PlaygroundDeliverer {
  return {
    platform: 'playground',
    async send(target, reply) {
      if (target.platform !== 'playground') {
        return { failed: `the playground deliverer got a nudge for platform "${target.platform}"; register it for platform "playground" only` };
      }
      if (target.userRef !== undefined && target.channelId === undefined) {
        post(reply, `Direct message to ${target.userRef}`);
        return 'sent';
      }
      if (target.channelId !== channelId) {
        return { failed: `the playground has one channel, "${channelId}", not "${target.channelId ?? '(none)'}"; bind the stream to it with /flow bind` };
      }
      post(reply, 'Nudge');
      return 'sent';
    },
  };
}
