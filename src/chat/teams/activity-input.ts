/**
 * What the adapter reads from an incoming Activity: the command text (the bot's mention and a
 * leading `flow` / `/flow` removed), the channel it concerns, and the conversation reference
 * fields to store. Mentions of anyone else stay in the text, so the command layer can refuse
 * a per-person request.
 */
import type { Activity } from '@microsoft/agents-activity';
import type { CommandMention } from '../../commands/context.ts';
import type { ConversationRefInput, TeamsConversationType } from '../../store/conversation-refs.ts';

/** A channel's conversation id without the `;messageid=…` of the thread a message is in. */
export function conversationKey(conversationId: string): string {
  return conversationId.split(';')[0]!;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The text after the bot's name. The SDK already removed mentions of the bot that carry a
 * mention entity; this also drops a leading `<at>BotName</at>` without one, HTML entities
 * Teams adds, and a leading `flow`, `/flow` or a typed `@flow` (`flow leadtime` in a 1:1 chat).
 * @example commandTextOf('<at>flow</at> leadtime 30d', 'flow') // 'leadtime 30d'
 */
export function commandTextOf(text: string | undefined, botName?: string): string {
  let result = (text ?? '').replace(/&nbsp;/g, ' ').replace(/&amp;/g, '&').replace(/<\/?(p|div|span|br)\s*\/?>/gi, ' ');
  if (botName) result = result.replace(new RegExp(`^\\s*<at>${escapeRegExp(botName)}</at>`, 'i'), '');
  result = result.trim().replace(/\s+/g, ' ');
  return result.replace(/^[/@]?flow(\s+|$)/i, '').trim();
}

/**
 * The command of a message and the people it mentions: each `<at>Ana Lopez</at>` with a
 * mention entity becomes `@Ana Lopez` in the text, with who that is in `mentions` (the Slack
 * adapter hands over its `<@U…|name>` mentions the same way).
 * @example commandInputOf(activity) // { text: 'owner ana@example.com @Ana Lopez', mentions: [{ text: '@Ana Lopez', userId: '29:…', name: 'Ana Lopez' }] }
 */
export function commandInputOf(activity: Activity): { text: string; mentions: CommandMention[] } {
  let text = commandTextOf(activity.text, activity.recipient?.name);
  const mentions: CommandMention[] = [];
  for (const m of mentionsOf(activity)) {
    if (!text.includes(m.text)) continue;
    text = text.split(m.text).join(`@${m.name}`);
    mentions.push({ ...m, text: `@${m.name}` });
  }
  return { text, mentions };
}

/** Where a command comes from, in the command layer's terms. */
export interface TeamsCommandPlace {
  /** the conversation id without the thread suffix: what `bind` binds */
  channelId: string;
  /** the tenant id: Teams' unit of installation, as Slack's workspace is */
  teamId?: string;
  /** the Entra object id of the person (stable across chats), else the Teams user id */
  userId: string;
}

/** The mention entities of a message other than the bot's: `<at>Ana</at>` and who that is. */
export function mentionsOf(activity: Activity): CommandMention[] {
  const botId = activity.recipient?.id;
  const mentions: CommandMention[] = [];
  for (const entity of activity.entities ?? []) {
    const e = entity as { type?: string; text?: unknown; mentioned?: { id?: unknown; name?: unknown } };
    if (e.type !== 'mention' || typeof e.text !== 'string' || typeof e.mentioned?.id !== 'string' || e.mentioned.id === botId) continue;
    const name = typeof e.mentioned.name === 'string' && e.mentioned.name ? e.mentioned.name : e.text.replace(/<\/?at>/g, '');
    mentions.push({ text: e.text, userId: e.mentioned.id, name });
  }
  return mentions;
}

export function tenantOf(activity: Activity): string | undefined {
  const channelData = activity.channelData as { tenant?: { id?: string } } | undefined;
  return activity.conversation?.tenantId ?? channelData?.tenant?.id;
}

export function commandPlaceOf(activity: Activity): TeamsCommandPlace {
  const tenantId = tenantOf(activity);
  return {
    channelId: conversationKey(activity.conversation?.id ?? ''),
    ...(tenantId ? { teamId: tenantId } : {}),
    userId: activity.from?.aadObjectId ?? activity.from?.id ?? 'unknown',
  };
}

function conversationTypeOf(activity: Activity): TeamsConversationType {
  const type = activity.conversation?.conversationType;
  if (type === 'personal' || type === 'groupChat' || type === 'channel') return type;
  return activity.conversation?.isGroup ? 'groupChat' : 'personal';
}

/**
 * The row to store for the conversation of an activity, or null when the activity lacks what
 * a proactive post needs (serviceUrl, conversation id, tenant).
 */
export function conversationRefOf(activity: Activity): ConversationRefInput | null {
  const tenantId = tenantOf(activity);
  const conversationId = activity.conversation?.id;
  if (!activity.serviceUrl || !conversationId || !tenantId) return null;
  const type = conversationTypeOf(activity);
  const channelData = activity.channelData as { team?: { id?: string }; channel?: { id?: string } } | undefined;
  const reference = activity.getConversationReference() as unknown as Record<string, unknown>;
  const key = conversationKey(conversationId);
  // A reference to a channel thread would post into that thread; proactive posts go to the channel.
  reference.conversation = { ...(reference.conversation as object), id: key };
  delete reference.activityId;
  return {
    conversationId: key,
    tenantId,
    conversationType: type,
    teamId: channelData?.team?.id ?? null,
    channelId: type === 'channel' ? (channelData?.channel?.id ?? key) : null,
    userId: type === 'personal' ? (activity.from?.id ?? null) : null,
    userAadId: type === 'personal' ? (activity.from?.aadObjectId ?? null) : null,
    serviceUrl: activity.serviceUrl,
    reference,
  };
}
