/**
 * Proactive posts: a Reply sent to a stored conversation (a channel, a group chat, a 1:1
 * chat) with the adapter's continue-conversation call, and opening a 1:1 chat with a person
 * the bot knows from a team it is installed in. A proactive send is tried once: a 429 or a
 * 5xx reaches the caller (the outbox hands the row back, due at the Retry-After, instead of
 * sleeping here); a 403 or 404 marks the conversation stale (the bot was removed or blocked).
 */
import type { Activity, ConversationReference } from '@microsoft/agents-activity';
import { CloudAdapter } from '@microsoft/agents-hosting';
import type { Reply } from '../../reply/reply.ts';
import {
  findPersonalConversationRef,
  listConversationRefs,
  markConversationRefStale,
  saveConversationRef,
  type ConversationRef,
} from '../../store/conversation-refs.ts';
import { conversationRefOf } from './activity-input.ts';
import { replyActivity, type ReplyActivityOptions } from './reply-activity.ts';
import { statusOf, type RetryOptions } from './throttle-retry.ts';

/** The audience (scope) of the Bot Framework channel service, for creating conversations. */
export const BOT_FRAMEWORK_AUDIENCE = 'https://api.botframework.com';

export interface ProactiveOptions extends ReplyActivityOptions {
  adapter: CloudAdapter;
  /** the bot's app id; '' when running unauthenticated */
  appId: string;
  /** retries of in-turn replies (agent.ts); proactive sends are not retried here */
  retry?: RetryOptions;
}

/** A post that cannot be delivered: the bot was removed from the conversation or blocked. */
export class ConversationGoneError extends Error {
  readonly status: number;
  readonly conversationId: string;
  constructor(conversationId: string, status: number, cause: unknown) {
    super(
      `Teams answered ${status} for conversation ${conversationId}: the app was removed or blocked there. ` +
        'The conversation is marked stale and skipped until someone talks to the bot there again or reinstalls it.',
      { cause },
    );
    this.name = 'ConversationGoneError';
    this.status = status;
    this.conversationId = conversationId;
  }
}

/** The identity continue-conversation runs as: the app id, or an anonymous one locally. */
function botIdentity(appId: string): string | ReturnType<typeof CloudAdapter.createIdentity> {
  return appId || CloudAdapter.createIdentity('');
}

/** Sends an activity into a stored conversation; returns the new message id. */
export async function sendActivityTo(options: ProactiveOptions, ref: ConversationRef, activity: Activity): Promise<string | undefined> {
  let id: string | undefined;
  try {
    let failure: unknown;
    await options.adapter.continueConversation(botIdentity(options.appId), ref.reference as unknown as ConversationReference, async (context) => {
      // The continuation activity gets a random id; without removing it the post would be a
      // reply to that id. A proactive post is a new message in the conversation.
      delete (context.activity as { id?: string }).id;
      try {
        const sent = await context.sendActivity(activity);
        id = sent?.id;
      } catch (error) {
        // The adapter's onTurnError would swallow it; the caller must know the post failed.
        failure = error;
      }
    });
    if (failure !== undefined) throw failure;
  } catch (error) {
    const status = statusOf(error);
    if (status === 403 || status === 404) {
      await markConversationRefStale(options.store.db, ref.conversationId, `HTTP ${status} on a proactive post`, options.clock());
      throw new ConversationGoneError(ref.conversationId, status, error);
    }
    throw error;
  }
  return id;
}

/** Posts a Reply (card, chart, buttons) into a stored conversation. */
export async function sendProactiveReply(options: ProactiveOptions, ref: ConversationRef, reply: Reply): Promise<string | undefined> {
  const activity = await replyActivity({ ...reply, ephemeral: false }, options, ref.conversationType !== 'personal');
  return sendActivityTo(options, ref, activity);
}

export interface DirectChatTarget {
  tenantId: string;
  /** the person's Teams user id (29:…) as seen in a team roster or an activity */
  userId: string;
  aadObjectId?: string;
}

/**
 * The 1:1 chat with a person: the stored one, or a new one created through the connector of
 * their tenant (the app must be installed in a team or chat of that tenant; Teams cannot
 * cold-message anyone). The new conversation's reference is stored and returned.
 */
export async function openDirectChat(options: ProactiveOptions, target: DirectChatTarget): Promise<ConversationRef> {
  const known = await findPersonalConversationRef(options.store.db, target.tenantId, {
    userId: target.userId,
    ...(target.aadObjectId ? { aadObjectId: target.aadObjectId } : {}),
  });
  if (known) return known;
  const [anchor] = await listConversationRefs(options.store.db, { tenantId: target.tenantId });
  if (!anchor) {
    throw new Error(
      `flow-nudge is not installed anywhere in tenant ${target.tenantId}, so it cannot open a chat with ${target.userId}. ` +
        'Install the app in a team or for the person (Teams admin center or "Apps" in Teams), then try again.',
    );
  }
  const agent = (anchor.reference as { agent?: { id: string; name?: string } }).agent;
  let created: ConversationRef | undefined;
  await options.adapter.createConversationAsync(
        options.appId,
        'msteams',
        anchor.serviceUrl,
        BOT_FRAMEWORK_AUDIENCE,
        {
          isGroup: false,
          ...(agent ? { agent } : {}),
          members: [{ id: target.userId, ...(target.aadObjectId ? { aadObjectId: target.aadObjectId } : {}) }],
          tenantId: target.tenantId,
          channelData: { tenant: { id: target.tenantId } },
        } as Parameters<CloudAdapter['createConversationAsync']>[4],
        async (context) => {
          context.activity.conversation = { ...context.activity.conversation!, conversationType: 'personal' };
          const input = conversationRefOf(context.activity);
          if (!input) throw new Error(`Teams created a chat with ${target.userId} but returned no conversation id.`);
          created = await saveConversationRef(options.store.db, input, options.clock());
        },
      );
  return created!;
}
