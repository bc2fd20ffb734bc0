/**
 * The Teams deliverer of the nudge outbox: posts a nudge proactively into a bound Teams
 * conversation through its stored conversation reference, or into a 1:1 chat with an epic
 * owner (opened when the bot has none yet). Teams cannot find a user by e-mail without Graph,
 * so an owner known only by e-mail needs the `@flow owner EMAIL @user` mapping.
 *
 * The card and each further chart card are steps of the delivery (their activity ids are
 * recorded), so a retry resumes after the last card posted. A 429 (or 412, 5xx) goes back to
 * the outbox with the connector's Retry-After; nothing waits here.
 */
import type { Reply } from '../../reply/reply.ts';
import { runStep, type Deliverer, type DeliveryOutcome } from '../../nudges/deliverer.ts';
import { isDirectTarget, type DirectTarget } from '../../nudges/nudge-target.ts';
import type { Store } from '../../store/database.ts';
import { findPersonalConversationRef, getConversationRef, listConversationRefs, type ConversationRef } from '../../store/conversation-refs.ts';
import type { MountedTeams } from './index.ts';
import { ConversationGoneError } from './proactive.ts';
import { retryAfterMs } from './throttle-retry.ts';

type Sender = Pick<MountedTeams, 'sendProactive' | 'openDirectChat'>;

/** The 1:1 chat with the owner: a stored one, or a new one in the bot's tenant. */
async function directChatOf(store: Store, teams: Sender, target: DirectTarget): Promise<ConversationRef | { failed: string }> {
  if (target.userRef.includes('@')) {
    return { failed: `Teams cannot find ${target.userRef} by e-mail: map the owner with "@flow owner ${target.userRef} @their-name" in a channel the bot is in.` };
  }
  const user: { userId: string } | { aadObjectId: string } = target.userRef.startsWith('29:') ? { userId: target.userRef } : { aadObjectId: target.userRef };
  const known = await listConversationRefs(store.db, {});
  const tenantId = target.teamId ?? known[0]?.tenantId;
  if (!tenantId) return { failed: 'flow-nudge is not installed in any Teams conversation yet: add the app to a team or chat first.' };
  const stored = await findPersonalConversationRef(store.db, tenantId, user);
  if (stored) return stored;
  if (!('userId' in user)) return { failed: `flow-nudge has no 1:1 chat with Entra user ${target.userRef} and needs their Teams id (29:…) to open one: map the owner with "@flow owner EMAIL @their-name".` };
  return teams.openDirectChat({ tenantId, userId: user.userId });
}

export function createTeamsDeliverer(options: { store: Store; teams: Sender }): Deliverer {
  const { store, teams } = options;
  return {
    platform: 'teams',
    async send(target, reply, meta): Promise<DeliveryOutcome> {
      try {
        const ref = isDirectTarget(target) ? await directChatOf(store, teams, target) : await getConversationRef(store.db, target.channelId);
        if (!ref) return { failed: `flow-nudge has no reference to this Teams conversation: add the app to that team or chat again, then "@flow bind STREAM".` };
        if ('failed' in ref) return ref;
        // Extra charts of a nudge (the check-in) follow as their own cards.
        const { moreCharts, ...first } = reply;
        await runStep(meta, 'message', async () => (await teams.sendProactive(ref, first as Reply)) ?? '');
        for (const [index, chart] of (moreCharts ?? []).entries()) {
          await runStep(meta, `chart:${index + 1}`, async () => (await teams.sendProactive(ref, { text: chart.summary, chart })) ?? '');
        }
        return 'sent';
      } catch (error) {
        if (error instanceof ConversationGoneError) return { failed: `${error.message}: add the app to the conversation again.` };
        // a 429 with the connector's Retry-After; anything else (5xx, reset, lease lost) with the outbox's backoff
        return { retryAfterMs: retryAfterMs(error) ?? 0 };
      }
    },
  };
}
