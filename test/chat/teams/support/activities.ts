/**
 * Bot Framework Activities shaped as Teams sends them (channel, group chat, personal), for
 * posting to /api/messages in tests.
 */
import { randomUUID } from 'node:crypto';

export const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const BOT = { id: '28:11111111-2222-3333-4444-555555555555', name: 'flow' };
export const USER = { id: '29:1a2b3c4d-user-one', name: 'Robin Example', aadObjectId: '6d3c1c36-aaaa-bbbb-cccc-000000000001' };
export const TEAM_ID = '19:teamgeneral@thread.tacv2';
export const CHANNEL_ID = '19:c0ffee0001@thread.tacv2';

export type Scope = 'channel' | 'personal' | 'groupChat';

function conversation(scope: Scope, messageId?: string) {
  if (scope === 'channel') return { id: messageId ? `${CHANNEL_ID};messageid=${messageId}` : CHANNEL_ID, conversationType: 'channel', isGroup: true, tenantId: TENANT };
  if (scope === 'groupChat') return { id: '19:groupchat0001@thread.v2', conversationType: 'groupChat', isGroup: true, tenantId: TENANT };
  return { id: `a:1personal-${USER.id}`, conversationType: 'personal', tenantId: TENANT };
}

function channelData(scope: Scope) {
  return {
    tenant: { id: TENANT },
    ...(scope === 'channel' ? { team: { id: TEAM_ID, name: 'Checkout' }, channel: { id: CHANNEL_ID, name: 'General' } } : {}),
  };
}

function base(serviceUrl: string, scope: Scope, messageId?: string) {
  return {
    id: randomUUID(),
    channelId: 'msteams',
    serviceUrl,
    timestamp: new Date().toISOString(),
    localTimestamp: new Date().toISOString(),
    from: USER,
    recipient: BOT,
    conversation: conversation(scope, messageId),
    channelData: channelData(scope),
    locale: 'en-GB',
  };
}

/** A message; in a channel the text starts with the bot's mention, as Teams sends it. */
export function messageActivity(serviceUrl: string, scope: Scope, text: string) {
  const activity = base(serviceUrl, scope, scope === 'channel' ? '1700000000001' : undefined);
  const mentioned = scope !== 'personal';
  return {
    ...activity,
    type: 'message',
    textFormat: 'plain',
    text: mentioned ? `<at>${BOT.name}</at> ${text}` : text,
    entities: [
      ...(mentioned ? [{ type: 'mention', text: `<at>${BOT.name}</at>`, mentioned: BOT }] : []),
      { type: 'clientInfo', locale: 'en-GB', country: 'GB', platform: 'Web', timezone: 'Europe/London' },
    ],
  };
}

/** The bot added to a team (or a chat, or installed personally). */
export function membersAddedActivity(serviceUrl: string, scope: Scope) {
  return { ...base(serviceUrl, scope), type: 'conversationUpdate', membersAdded: [BOT], channelData: { ...channelData(scope), eventType: 'teamMemberAdded' } };
}

export function installationUpdateActivity(serviceUrl: string, scope: Scope, action: 'add' | 'remove') {
  return { ...base(serviceUrl, scope), type: 'installationUpdate', action };
}

/** A Universal Action (Action.Execute) from a card: inputs merged into `data`. */
export function executeActivity(serviceUrl: string, scope: Scope, verb: string, data: Record<string, unknown>) {
  return {
    ...base(serviceUrl, scope),
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId: 'm-card-1',
    value: { action: { type: 'Action.Execute', id: randomUUID(), verb, data: { ...data, verb } }, trigger: 'manual' },
  };
}

/** An Action.Submit from a card: a message with no text and the data + inputs in `value`. */
export function submitActivity(serviceUrl: string, scope: Scope, verb: string, data: Record<string, unknown>) {
  return { ...base(serviceUrl, scope), type: 'message', replyToId: 'm-card-1', value: { ...data, verb } };
}
