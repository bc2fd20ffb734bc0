import type { App } from '@slack/bolt';
import { answersWithChart, boundStream, localToday, parseCommand, runCommand, type Command, type CommandContext } from '../../commands/index.ts';
import type { Reply } from '../../reply/reply.ts';
import { escapeMrkdwn } from './blocks.ts';
import { slackCommandInput } from './command-text.ts';
import { outcomeFormPrefill } from '../../nudges/outcome-answer.ts';
import { deliverReply, postEphemeralReply, type ReplyTarget } from './deliver-reply.ts';
import { eventModal, outcomeModal, type ModalMetadata } from './modals.ts';
import type { SlackDeps } from './slack-deps.ts';
import type { SlackCommandPayload } from './command-jobs.ts';

/** Opens the form a reply asks for; false when Slack refused (an expired trigger, say). */
export async function openReplyForm(
  client: App['client'],
  deps: Pick<SlackDeps, 'log'>,
  input: { triggerId: string; ctx: CommandContext; form: NonNullable<Reply['form']> },
): Promise<boolean> {
  const prefill = input.form.prefill ?? {};
  const outcome = outcomeFormPrefill(prefill);
  const meta: ModalMetadata = {
    channelId: input.ctx.channelId,
    ...(input.ctx.teamId ? { teamId: input.ctx.teamId } : {}),
    ...(outcome.stream ? { stream: outcome.stream } : {}),
    ...(outcome.which ? { which: outcome.which } : {}),
  };
  const stream = await boundStream(input.ctx);
  const today = localToday(input.ctx.now, stream?.map.timeZone ?? 'UTC');
  const view = input.form.kind === 'event-form'
    ? eventModal(meta, { today, text: prefill.text })
    : outcomeModal(meta, { epic: prefill.epic });
  try {
    await client.views.open({ trigger_id: input.triggerId, view });
    return true;
  } catch (error) {
    deps.log.warn(`views.open failed: ${(error as Error).message}`);
    return false;
  }
}

/**
 * `/flow ...`: acknowledged at once (with a short "Working on it" for charts), then the command runs and its Reply
 * is posted in the channel (or, for help and errors, to the user alone). A reply that asks for
 * a form opens it as a modal with the command's trigger_id.
 */
export function registerFlowCommand(app: App, deps: SlackDeps): void {
  app.command('/flow', async ({ command, ack, client, respond }) => {
    const { text } = slackCommandInput(command.text ?? '');
    const parsed = parseCommand(text);
    const payload: SlackCommandPayload = {
      text: command.text ?? '',
      channelId: command.channel_id,
      ...(command.team_id && { teamId: command.team_id }),
      userId: command.user_id,
      ...(command.response_url && { responseUrl: command.response_url }),
      triggerId: command.trigger_id,
    };
    // A form must open within 3 s of its trigger: at once.
    if (opensForm(parsed)) {
      await ack();
      const target: ReplyTarget = { channelId: command.channel_id, userId: command.user_id, respond: (m) => respond(m as Parameters<typeof respond>[0]) };
      await answerSlashCommand(client, deps, payload, target);
      return;
    }
    // Everything else is a durable job, committed before any promise goes out; it runs once the
    // acknowledgements of a burst are out, on whichever replica is free, even after a restart.
    try {
      await deps.jobs.enqueue(payload);
    } catch (error) {
      deps.log.error(`/flow ${text}: could not store the command: ${(error as Error).message}`);
      await ack({ response_type: 'ephemeral', text: `flow-nudge cannot take /flow ${escapeMrkdwn(text)} right now (its database is unavailable). Try again in a minute.` });
      return;
    }
    // Charts take a moment: say so at once (only the asker sees it); quick answers need no notice.
    await ack(answersWithChart(parsed) ? { response_type: 'ephemeral', text: `Working on /flow ${escapeMrkdwn(text)}…` } : undefined);
  });
}

/** Runs a slash command and posts its answer (a durable job's work, or a form's at once). */
export async function answerSlashCommand(
  client: App['client'],
  deps: Pick<SlackDeps, 'store' | 'charts' | 'clock' | 'log'>,
  command: SlackCommandPayload,
  target: ReplyTarget,
): Promise<void> {
  const { text, mentions } = slackCommandInput(command.text);
  const ctx: CommandContext = {
    store: deps.store,
    charts: deps.charts,
    platform: 'slack',
    channelId: command.channelId,
    ...(command.teamId && { teamId: command.teamId }),
    userId: command.userId,
    now: deps.clock(),
    ...(mentions.length > 0 ? { mentions } : {}),
  };
  await answerCommand(client, deps, ctx, target, { text, trigger_id: command.triggerId });
}

function opensForm(command: Command): boolean {
  return (command.name === 'event' && command.action === 'form') || (command.name === 'outcome' && !command.text);
}

async function answerCommand(
  client: App['client'],
  deps: Pick<SlackDeps, 'store' | 'clock' | 'log'>,
  ctx: CommandContext,
  target: ReplyTarget,
  command: { text?: string; trigger_id: string },
): Promise<void> {
  let reply: Reply;
  try {
    reply = await runCommand(ctx, command.text ?? '');
  } catch (error) {
    deps.log.error(`/flow ${command.text}: ${(error as Error).stack ?? error}`);
    await postEphemeralReply(client, target, {
      text: `Sorry, /flow ${command.text} failed: ${(error as Error).message}`,
      ephemeral: true,
      error: { code: 'command-failed', fix: 'Try again in a minute; if it keeps failing, the server log has the details for whoever runs flow-nudge.' },
    });
    return;
  }
  if (reply.form && (await openReplyForm(client, deps, { triggerId: command.trigger_id, ctx, form: reply.form }))) return;
  try {
    await deliverReply(client, target, reply);
  } catch (error) {
    deps.log.error(`posting the answer to /flow ${command.text} failed: ${(error as Error).message}`);
    await postEphemeralReply(client, target, {
      text: `The answer to /flow ${command.text} could not be posted: ${(error as Error).message}`,
      ephemeral: true,
      error: { code: 'post-failed', fix: 'Check that flow-nudge is a member of this channel (/invite @flow-nudge) and try again.' },
    }).catch(() => undefined);
  }
}
