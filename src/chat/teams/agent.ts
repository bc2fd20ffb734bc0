/**
 * The AgentApplication: which Activity does what.
 * - message: a command (`@flow leadtime`, `flow leadtime` in a 1:1 chat) → runCommand → a
 *   card. Messages run as long-running turns: the HTTP POST is answered at once and the card
 *   follows through the connector, well inside Teams' 15 s limit.
 * - message without text carrying a verb: an Action.Submit from one of our cards.
 * - invoke `adaptiveCard/action` (Action.Execute): open / save a form, or run a command; the
 *   invoke response replaces the card for the person who clicked.
 * - conversationUpdate / installationUpdate: store or delete the conversation reference;
 *   a new install gets a welcome card.
 */
import type { Activity } from '@microsoft/agents-activity';
import type { ChartRenderer } from '../../charts/index.ts';
import { AgentApplication, MessageFactory, type TurnState, type TurnContext } from '@microsoft/agents-hosting';
import type { CommandContext, CommandMention } from '../../commands/context.ts';
import { errorReply, type Reply } from '../../reply/reply.ts';
import { deleteConversationRef, getConversationRef, saveConversationRef } from '../../store/conversation-refs.ts';
import { VERBS } from './adaptive-card.ts';
import { commandInputOf, commandPlaceOf, conversationKey, conversationRefOf } from './activity-input.ts';
import { runFormAction, type FormActionResult } from './form-actions.ts';
import { isHomeRequest, teamsHomeReply } from './home-card.ts';
import type { ProactiveOptions } from './proactive.ts';
import { cardActivity, replyActivity } from './reply-activity.ts';
import { teamsAsk, teamsCardWording, type TeamsPlace } from './teams-wording.ts';
import { statusOf, withThrottleRetry } from './throttle-retry.ts';

export interface TeamsLog {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface TeamsAgentOptions extends ProactiveOptions {
  log: TeamsLog;
  runCommand(ctx: CommandContext, text: string): Promise<Reply>;
  /** the program's chart renderer, handed to every command */
  charts: ChartRenderer;
}

const ALL_VERBS = Object.values(VERBS) as string[];

function commandContext(options: TeamsAgentOptions, activity: Activity): CommandContext {
  return { store: options.store, charts: options.charts, platform: 'teams', ...commandPlaceOf(activity), now: options.clock() };
}

function isGroup(activity: Activity): boolean {
  return Boolean(activity.conversation?.isGroup) || (activity.conversation?.conversationType ?? 'personal') !== 'personal';
}

const FAILED = (what: string) =>
  errorReply('internal-error', `Something went wrong while ${what}.`, 'Try again in a minute; if it keeps failing, tell whoever runs flow-nudge (the server log has the details).');

/** What a user reads when Teams refuses the bot's answer, by the connector's status. */
const REFUSED_POST: Record<number, string> = {
  413: 'My answer was too big for Teams (413: message over about 100 KB), so it was not shown. Set PUBLIC_URL to this bot\'s HTTPS address so charts load from it instead of riding in the message, then ask again.',
  403: 'Teams did not let me post the answer here (403). Check that flow-nudge is installed in this team or chat and allowed by your Teams admin, then ask again.',
  404: 'Teams could not find where to post the answer (404: the conversation or message is gone). Add flow-nudge to this conversation again, then ask again.',
};

export function createTeamsAgent(options: TeamsAgentOptions): AgentApplication<TurnState> {
  const { log } = options;
  const app = new AgentApplication<TurnState>({ adapter: options.adapter, longRunningMessages: true, removeRecipientMention: true, startTypingTimer: false });
  if (options.appId) (app.options as { agentAppId?: string }).agentAppId = options.appId;

  /** Upserts the reference of the conversation (on every activity, as Microsoft advises). Returns whether it is new. */
  async function remember(activity: Activity): Promise<boolean> {
    const input = conversationRefOf(activity);
    if (!input) return false;
    const known = await getConversationRef(options.store.db, input.conversationId);
    await saveConversationRef(options.store.db, input, options.clock());
    return known === null;
  }

  async function send(context: TurnContext, activity: Partial<Activity>): Promise<void> {
    try {
      await withThrottleRetry(() => context.sendActivity(activity as Activity), options.retry);
    } catch (error) {
      const status = statusOf(error);
      const notice = status === undefined ? undefined : REFUSED_POST[status];
      if (!notice) throw error;
      // Never silence: say in a short text what happened and the fix (a text is small and plain).
      log.warn(`teams: the connector refused the answer with ${status}; sending a short text instead`, { error: String(error) });
      try {
        await context.sendActivity(MessageFactory.text(notice) as Activity);
      } catch (second) {
        log.error(`teams: the connector refused the answer (${status}) and the notice about it too`, { error: String(second) });
      }
    }
  }

  async function answer(context: TurnContext, text: string, mentions: CommandMention[] = []): Promise<void> {
    const ctx: CommandContext = { ...commandContext(options, context.activity), ...(mentions.length > 0 ? { mentions } : {}) };
    let reply: Reply;
    try {
      reply = isHomeRequest(text) ? await teamsHomeReply(ctx) : await options.runCommand(ctx, text);
    } catch (error) {
      log.error('teams: command failed', { text, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      reply = FAILED(`answering "${text}"`);
    }
    await send(context, await replyActivity(reply, options, isGroup(context.activity)));
  }

  async function welcome(context: TurnContext): Promise<void> {
    const ctx = commandContext(options, context.activity);
    const help = await options.runCommand(ctx, 'help');
    const where = isGroup(context.activity)
      ? 'Mention me with a command: @flow bind STREAM to follow a value stream here, then @flow leadtime, @flow xmr, @flow stages…'
      : 'Type a command here, e.g. "home" for the state of your streams, "streams", or "leadtime 30d" once this chat follows a stream ("bind STREAM").';
    // In a 1:1 chat the welcome also shows what Slack's App Home shows: the streams' state.
    const home = isGroup(context.activity) ? [] : ((await teamsHomeReply(ctx)).sections ?? []);
    const reply: Reply = {
      text: 'Hello! flow-nudge answers flow questions about your value stream with a chart, and nudges the team when the flow changes. It describes the system, never individuals.',
      sections: [{ title: 'Getting started', text: where }, ...home, ...(help.sections ?? [])],
      ...(help.buttons ? { buttons: help.buttons } : {}),
    };
    await send(context, await replyActivity(reply, options, false));
  }

  /** A card action delivered as Action.Submit (a message with a value and no text). */
  async function onSubmit(context: TurnContext): Promise<void> {
    await remember(context.activity);
    const value = context.activity.value as Record<string, unknown>;
    const result = await actionResult(context, String(value.verb), value);
    if ('card' in result) await send(context, cardActivity(result.card, result.text));
    else await send(context, { type: 'message', text: result.message });
  }

  async function actionResult(context: TurnContext, verb: string, data: unknown): Promise<FormActionResult> {
    const ctx = commandContext(options, context.activity);
    let result: FormActionResult;
    try {
      result = await runFormAction(ctx, verb, data);
    } catch (error) {
      log.error('teams: card action failed', { verb, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      return { message: FAILED('saving this card').text };
    }
    if ('command' in result && result.command) {
      // Answer the invoke now; post the command's card in the conversation when it is ready.
      const reference = context.activity.getConversationReference();
      const command = result.command;
      void options.adapter
        .continueConversation(context.identity, reference, (c) => answer(c, command))
        .catch((error: unknown) => log.error('teams: button command failed', { command, error: String(error) }));
    }
    // the saved card's note and a form's problems come from the command layer: in Teams words
    const place: TeamsPlace = isGroup(context.activity) ? 'channel' : 'personal';
    if ('card' in result) return { card: teamsCardWording(result.card, place), text: teamsAsk(result.text, place) };
    return { ...result, message: teamsAsk(result.message, place) };
  }

  app.addRoute(async (context) => {
    const a = context.activity;
    const value = a.value as { verb?: unknown } | undefined;
    return a.type === 'message' && !a.text && typeof value === 'object' && value !== null && ALL_VERBS.includes(String(value.verb));
  }, onSubmit);

  // Our verbs, then any other verb (an old card, a hand-made one): the latter gets an error card, not a 501.
  app.adaptiveCards.actionExecute<{ verb: string; data?: Record<string, unknown> }>([...ALL_VERBS, /[\s\S]*/], async (context, _state, action) => {
    await remember(context.activity);
    const result = await actionResult(context, String(action.verb ?? ''), action.data ?? {});
    return 'card' in result ? result.card : result.message;
  });

  app.onActivity('message', async (context) => {
    await remember(context.activity);
    const input = commandInputOf(context.activity);
    await answer(context, input.text, input.mentions);
  });

  app.onConversationUpdate('membersAdded', async (context) => {
    const botId = context.activity.recipient?.id;
    if (!(context.activity.membersAdded ?? []).some((m) => m.id === botId)) return;
    if (await remember(context.activity)) await welcome(context);
  });

  app.onConversationUpdate('membersRemoved', async (context) => {
    const botId = context.activity.recipient?.id;
    if (!(context.activity.membersRemoved ?? []).some((m) => m.id === botId)) return;
    const id = conversationKey(context.activity.conversation?.id ?? '');
    await deleteConversationRef(options.store.db, id, { updatedBefore: options.clock() });
    log.info('teams: removed from a conversation; its reference is deleted', { conversationId: id });
  });

  app.onActivity('installationUpdate', async (context) => {
    const action = String(context.activity.action ?? '');
    if (action === 'add' || action === 'add-upgrade') {
      if (await remember(context.activity)) await welcome(context);
      return;
    }
    if (action === 'remove' || action === 'remove-upgrade') {
      const id = conversationKey(context.activity.conversation?.id ?? '');
      await deleteConversationRef(options.store.db, id, { updatedBefore: options.clock() });
      log.info('teams: uninstalled; the conversation reference is deleted', { conversationId: id });
    }
  });

  app.onError(async (_context, error) => {
    log.error('teams: turn failed', { error: error.stack ?? error.message });
  });

  return app;
}

