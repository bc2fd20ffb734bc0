import type { App, BlockButtonAction } from '@slack/bolt';
import { boundStream, localToday, logEvent, recordOutcome, type CommandContext } from '../../commands/index.ts';
import type { ReplyFormKind } from '../../reply/reply.ts';
import { recordOutcomeAnswer } from '../../nudges/outcome-answer.ts';
import { z } from 'zod';
import { openReplyForm } from './command-listener.ts';
import { deliverReply } from './deliver-reply.ts';
import { BLOCK, EVENT_FORM, modalMetadataSchema, OUTCOME_FORM, readEventSubmission, readOutcomeSubmission } from './modals.ts';
import type { SlackDeps } from './slack-deps.ts';

function contextFor(deps: SlackDeps, channelId: string, userId: string, teamId?: string): CommandContext {
  return { store: deps.store, charts: deps.charts, platform: 'slack', channelId, userId, now: deps.clock(), ...(teamId ? { teamId } : {}) };
}

const prefillSchema = z.record(z.string(), z.string());

/** A button's value: the form's prefill as JSON, or an epic key. */
function readButtonPrefill(value: string | undefined): Record<string, string> | undefined {
  if (!value) return undefined;
  if (value.startsWith('{')) {
    try {
      return prefillSchema.parse(JSON.parse(value));
    } catch {
      return undefined;
    }
  }
  return { epic: value };
}

function metaOf(privateMetadata: string | undefined) {
  try {
    return modalMetadataSchema.parse(JSON.parse(privateMetadata ?? ''));
  } catch {
    return null;
  }
}

/**
 * The forms: buttons that open the event and outcome modals, and their submissions, which are
 * validated (errors shown next to the field by block id) and stored before the modal closes;
 * the confirmation is posted in the channel.
 */
export function registerFormListeners(app: App, deps: SlackDeps): void {
  app.action<BlockButtonAction>(/^flow-open:/, async ({ ack, body, action, client }) => {
    await ack();
    const kind = action.action_id.slice('flow-open:'.length) as ReplyFormKind;
    const channelId = body.channel?.id ?? body.container?.channel_id;
    if (!channelId || (kind !== 'event-form' && kind !== 'outcome-form')) return;
    const ctx = contextFor(deps, channelId, body.user.id, body.team?.id);
    const prefill = readButtonPrefill(action.value);
    await openReplyForm(client, deps, { triggerId: body.trigger_id, ctx, form: { kind, ...(prefill ? { prefill } : {}) } });
  });

  app.view(EVENT_FORM, async ({ ack, view, body, client }) => {
    const meta = metaOf(view.private_metadata);
    const ctx = meta ? contextFor(deps, meta.channelId, body.user.id, meta.teamId) : null;
    const stream = ctx ? await boundStream(ctx) : null;
    if (!ctx || !stream) {
      await ack({ response_action: 'errors', errors: { [BLOCK.eventText]: 'This channel follows no value stream any more: close the form and run /flow bind STREAM.' } });
      return;
    }
    const submission = readEventSubmission(view as Parameters<typeof readEventSubmission>[0], localToday(ctx.now, stream.map.timeZone));
    if (!submission.ok) {
      await ack({ response_action: 'errors', errors: submission.errors });
      return;
    }
    const reply = await logEvent(ctx, stream, submission.value);
    await ack();
    await deliverReply(client, { channelId: ctx.channelId, userId: ctx.userId }, reply);
  });

  app.view(OUTCOME_FORM, async ({ ack, view, body, client }) => {
    const submission = readOutcomeSubmission(view as Parameters<typeof readOutcomeSubmission>[0]);
    if (!submission.ok) {
      await ack({ response_action: 'errors', errors: submission.errors });
      return;
    }
    const ctx = contextFor(deps, submission.meta.channelId, body.user.id, submission.meta.teamId);
    if (submission.meta.stream || submission.meta.which) {
      // opened from a direct message (an outcome ask or review): the form names the stream
      const answer = await recordOutcomeAnswer(deps.store, { ...submission.value, stream: submission.meta.stream, which: submission.meta.which }, ctx.now);
      if (!answer.ok) {
        await ack({ response_action: 'errors', errors: { [answer.field === 'outcome' ? BLOCK.outcome : answer.field === 'keyResult' ? BLOCK.keyResult : BLOCK.epic]: answer.message } });
        return;
      }
      await ack();
      await deliverReply(client, { channelId: ctx.channelId, userId: ctx.userId }, answer.reply);
      return;
    }
    const stream = await boundStream(ctx);
    if (!stream) {
      await ack({ response_action: 'errors', errors: { [BLOCK.epic]: 'This channel follows no value stream any more: close the form and run /flow bind STREAM.' } });
      return;
    }
    const result = await recordOutcome(ctx, stream, submission.value);
    if (!result.ok) {
      await ack({ response_action: 'errors', errors: { [result.field === 'epic' ? BLOCK.epic : result.field === 'keyResult' ? BLOCK.keyResult : BLOCK.outcome]: result.message } });
      return;
    }
    await ack();
    await deliverReply(client, { channelId: ctx.channelId, userId: ctx.userId }, result.reply);
  });
}
