/**
 * Anticipated outcomes: a new epic's owner gets a direct message with a button that opens the
 * outcome form (Slack modal / Teams card); one reminder after 2 working days; after that the
 * epic counts in the Feature Factory Ratio of the check-in. When the epic closes, its owner is
 * asked for the actual outcome next to the anticipated one.
 *
 * Each step is a nudge_sent key (outcome-ask / outcome-reminder / outcome-review :stream:epic),
 * recorded with the message's outbox row in one transaction, so replicas and repeated runs ask
 * once and a crash never leaves an ask recorded but not sent.
 */
import type { Reply } from '../reply/reply.ts';
import { listNudgesSent, recordNudgeSent, touchNudgesSent } from '../store/nudges-sent.ts';
import { listBoundStreams, type BoundStreamChannels } from './bound-streams.ts';
import { awaitingReview, listEpics, missingAnticipated, type EpicState } from './epics.ts';
import type { NudgeContext } from './nudge-context.ts';
import type { DirectTarget } from './nudge-target.ts';
import { resolveOwnerTarget } from './owner-directory.ts';
import { inNudgeTransaction, postNudge, type NudgeKind } from './post-nudge.ts';
import { addWorkingDays } from './working-days.ts';

const DAY = 86_400_000;
export const OUTCOME_REMINDER_WORKING_DAYS = 2;
/** The sweep asks about epics created this recently (the webhook hook asks at once, whatever their age). */
export const NEW_EPIC_DAYS = 14;
/** Closed epics are asked for their actual outcome this long after closing. */
export const REVIEW_WITHIN_DAYS = 30;

export type OutcomeAction = 'asked' | 'reminded' | 'review-asked' | 'no-owner' | 'owner-unreachable';

export interface OutcomeStep {
  stream: string;
  epic: string;
  action: OutcomeAction;
  target?: DirectTarget;
}

/** When each epic of a stream was asked, reminded and asked for review (epic key → sent at). */
export async function outcomeHistory(ctx: NudgeContext, streamId: number): Promise<Record<'ask' | 'reminder' | 'review', Map<string, number>>> {
  const read = async (step: string) => {
    const prefix = `outcome-${step}:${streamId}:`;
    return new Map((await listNudgesSent(ctx.store.db, prefix)).map((n) => [n.dedupKey.slice(prefix.length), n.sentAt] as [string, number]));
  };
  return { ask: await read('ask'), reminder: await read('reminder'), review: await read('review') };
}

function formButton(stream: string, epic: EpicState, which: 'anticipated' | 'actual'): Pick<Reply, 'buttons' | 'form'> {
  return {
    buttons: [{ id: 'open-outcome-form', label: which === 'anticipated' ? 'Record the anticipated outcome' : 'Record the actual outcome', opens: 'outcome-form', value: epic.key }],
    form: { kind: 'outcome-form', prefill: { epic: epic.key, stream, outcome: which } },
  };
}

/** The first question to a new epic's owner. */
export function outcomeAskMessage(stream: string, epic: EpicState): Reply {
  return {
    text: `You own the epic ${epic.key} "${epic.title}" in ${stream}. What should it achieve, and how will you observe it? A sentence or two is enough; the team reads it in the weekly check-in.`,
    ...formButton(stream, epic, 'anticipated'),
  };
}

/** The one reminder, 2 working days later. */
export function outcomeReminderMessage(stream: string, epic: EpicState): Reply {
  return {
    text: `Reminder: the epic ${epic.key} "${epic.title}" (${stream}) has no anticipated outcome yet. What should it achieve, and how will you observe it? From now on it counts in the Feature Factory Ratio and is listed in the weekly check-in until it has one.`,
    ...formButton(stream, epic, 'anticipated'),
  };
}

/** On close: the actual outcome, next to the anticipated one. */
export function outcomeReviewMessage(stream: string, epic: EpicState): Reply {
  const anticipated = (epic.anticipatedOutcome ?? '').trim();
  return {
    text: `The epic ${epic.key} "${epic.title}" (${stream}) has closed. ${anticipated ? `You anticipated: "${anticipated}".` : 'No outcome was anticipated for it.'} What actually happened? Record the actual outcome next to it.`,
    sections: [{ fields: [{ label: 'Anticipated', value: anticipated || 'none recorded' }, { label: 'Actual', value: 'not recorded yet' }] }],
    ...formButton(stream, epic, 'actual'),
  };
}

async function step(
  ctx: NudgeContext,
  bound: BoundStreamChannels,
  epic: EpicState,
  kind: NudgeKind,
  action: OutcomeAction,
  message: Reply,
  now: number,
): Promise<OutcomeStep> {
  const base = { stream: bound.name, epic: epic.key };
  if (!epic.owner) return { ...base, action: 'no-owner' };
  const target = await resolveOwnerTarget(ctx.store.db, epic.owner, [...new Set(bound.bindings.map((b) => b.platform))]);
  if (!target) {
    ctx.log?.warn(`flow-nudge outcomes: cannot reach the owner "${epic.owner}" of ${epic.key}: map them with /flow owner EMAIL @user.`);
    return { ...base, action: 'owner-unreachable' };
  }
  const key = `${kind}:${bound.streamId}:${epic.key}`;
  await inNudgeTransaction(ctx, async (tx) => {
    if (await recordNudgeSent(tx.store.db, kind, key, now)) await postNudge(tx, { kind, target, dedupKey: key, message }, now);
  });
  return { ...base, action, target };
}

/**
 * Asks, reminds and asks for reviews, for every bound stream (or one, or some epics of one: the
 * webhook hook passes the keys that just changed, and those are asked whatever their age).
 */
export async function runOutcomeNudges(
  ctx: NudgeContext,
  now: number,
  options: { streamName?: string; keys?: readonly string[] } = {},
): Promise<OutcomeStep[]> {
  const steps: OutcomeStep[] = [];
  for (const bound of await listBoundStreams(ctx.store, { streamName: options.streamName })) {
    const epics = await listEpics(ctx.store.db, bound.streamId, bound.map, options.keys);
    if (epics.length === 0) continue;
    const history = await outcomeHistory(ctx, bound.streamId);
    // keys still needed: the ask and reminder of an open epic, the review of one closed lately (retention keeps them)
    await touchNudgesSent(
      ctx.store.db,
      epics.flatMap((epic) =>
        epic.closedAt === null
          ? [`outcome-ask:${bound.streamId}:${epic.key}`, `outcome-reminder:${bound.streamId}:${epic.key}`]
          : epic.closedAt >= now - (REVIEW_WITHIN_DAYS + 1) * DAY ? [`outcome-review:${bound.streamId}:${epic.key}`] : [],
      ),
      now,
    );
    for (const epic of epics) {
      if (epic.closedAt === null && missingAnticipated(epic)) {
        const askedAt = history.ask.get(epic.key);
        if (askedAt === undefined) {
          if (options.keys === undefined && epic.createdAt < now - NEW_EPIC_DAYS * DAY) continue;
          const result = await step(ctx, bound, epic, 'outcome-ask', 'asked', outcomeAskMessage(bound.name, epic), now);
          if (result.action !== 'no-owner') steps.push(result);
        } else if (!history.reminder.has(epic.key) && now >= addWorkingDays(askedAt, OUTCOME_REMINDER_WORKING_DAYS, bound.map.timeZone)) {
          steps.push(await step(ctx, bound, epic, 'outcome-reminder', 'reminded', outcomeReminderMessage(bound.name, epic), now));
        }
      }
      if (awaitingReview(epic) && !history.review.has(epic.key) && epic.closedAt! >= now - REVIEW_WITHIN_DAYS * DAY && epic.closedAt! <= now) {
        const result = await step(ctx, bound, epic, 'outcome-review', 'review-asked', outcomeReviewMessage(bound.name, epic), now);
        if (result.action !== 'no-owner') steps.push(result);
      }
    }
  }
  return steps;
}
