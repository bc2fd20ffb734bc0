/**
 * The playground's deliverer for the nudges outbox (src/nudges/outbox-worker.ts): a nudge for
 * the playground channel, or a direct message to anyone (the person at the keyboard plays
 * every role), is appended to the channel, where the page shows the bot posting on its own.
 */
import type { Deliverer, DeliveryMeta } from '../../nudges/deliverer.ts';
import type { NudgeMessage } from '../../nudges/nudge-payload.ts';
import { isDirectTarget } from '../../nudges/nudge-target.ts';
import { REPLAY_CHANNEL_INFIX } from './replay-signals.ts';

/** The label shown above a nudge, by the outbox row's kind. */
export const NUDGE_LABELS: Record<string, string> = {
  signal: 'XmR signal',
  aging: 'Aging work',
  checkin: 'Weekly check-in',
  'outcome-ask': 'Anticipated outcome',
  'outcome-reminder': 'Anticipated outcome · reminder',
  'outcome-review': 'Outcome review',
  'experiment-review': 'Experiment review',
  'unmapped-status': 'Status not in the map',
};

/**
 * @param channelId the playground's one channel
 * @param post appends a nudge to it under `label` (index.ts: replyToMessage + the channel log)
 */
export function createPlaygroundDeliverer(channelId: string, post: (message: NudgeMessage, label: string) => void): Deliverer {
  return {
    platform: 'playground',
    async send(target, message, meta: DeliveryMeta) {
      if (target.platform !== 'playground') {
        return { failed: `the playground deliverer got a nudge for platform "${target.platform}"; register it for platform "playground" only` };
      }
      const label = NUDGE_LABELS[meta.kind] ?? 'Nudge';
      if (isDirectTarget(target)) {
        post(message, `${label} · direct message to ${target.userRef}`);
        return 'sent';
      }
      if (target.channelId.startsWith(`${channelId}${REPLAY_CHANNEL_INFIX}`)) {
        post(message, `${label} · replayed`);
        return 'sent';
      }
      if (target.channelId !== channelId) {
        return { failed: `the playground has one channel, "${channelId}", not "${target.channelId}"; bind the stream to it with /flow bind in the page` };
      }
      post(message, label);
      return 'sent';
    },
  };
}
