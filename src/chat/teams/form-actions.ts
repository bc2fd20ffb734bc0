/**
 * What a card button does, whichever way Teams delivers it (an `adaptiveCard/action` invoke
 * or an Action.Submit message): open a form, save a form, or run a command. The forms are
 * validated here (their shape) and stored through the command layer (`logEvent`,
 * `recordOutcome`), which Slack's modals use too.
 */
import { answersWithChart, boundStream, localToday, logEvent, parseCommand, recordOutcome, type CommandContext } from '../../commands/index.ts';
import { errorReply } from '../../reply/reply.ts';
import { renderReplyCard } from './reply-card.ts';
import type { ReplyFormKind } from '../../reply/reply.ts';
import { keyResultProblem, outcomeFormPrefill, recordOutcomeAnswer } from '../../nudges/outcome-answer.ts';
import type { AdaptiveCard } from './adaptive-card.ts';
import { VERBS } from './adaptive-card.ts';
import { checkEventForm, checkOutcomeForm, eventFormCard, formCard, outcomeFormCard, savedCard, type FormValues } from './form-cards.ts';

/** The outcome of a card action: a card to show in place of the one clicked, or a short message. */
export type FormActionResult = { card: AdaptiveCard; text: string } | { message: string; command?: string };

function stringValues(data: unknown): FormValues {
  const values: FormValues = {};
  if (data && typeof data === 'object') {
    for (const [key, value] of Object.entries(data)) if (typeof value === 'string') values[key] = value;
  }
  return values;
}

function formKindOf(value: unknown): ReplyFormKind | null {
  return value === 'event-form' || value === 'outcome-form' ? value : null;
}

async function todayOf(ctx: CommandContext): Promise<string> {
  const stream = await boundStream(ctx);
  return localToday(ctx.now, stream?.map.timeZone ?? 'UTC');
}

const NOT_BOUND = 'This conversation does not follow a value stream yet: run "@flow bind STREAM" here first (@flow streams lists them).';

/** Saves the event form, or returns it with the problems shown. */
async function saveEvent(ctx: CommandContext, data: unknown): Promise<FormActionResult> {
  const stream = await boundStream(ctx);
  const today = localToday(ctx.now, stream?.map.timeZone ?? 'UTC');
  const values = stringValues(data);
  if (!stream) return { card: eventFormCard(today, values, [NOT_BOUND]), text: NOT_BOUND };
  const checked = checkEventForm(data, today);
  if (!checked.ok) return { card: eventFormCard(today, values, checked.problems), text: checked.problems.join(' ') };
  const reply = await logEvent(ctx, stream, { text: checked.value.text, date: checked.value.date });
  return {
    card: savedCard('Event logged', [
      { label: 'Stream', value: stream.name },
      { label: 'Date', value: checked.value.date },
      { label: 'What changed', value: checked.value.text },
    ], reply.text),
    text: reply.text,
  };
}

/** Saves the outcome form, or returns it with the problems shown. */
async function saveOutcome(ctx: CommandContext, data: unknown): Promise<FormActionResult> {
  const values = stringValues(data);
  // the save action carries which outcome and the stream (never read from the outcome text)
  const cardFor = outcomeFormPrefill({ ...(values.which ? { which: values.which } : {}), ...(values.stream ? { stream: values.stream } : {}) });
  const fromNudge = cardFor.which !== undefined || cardFor.stream !== undefined;
  // a form opened from an outcome nudge (a direct message) names its stream; else the channel's
  const stream = fromNudge ? null : await boundStream(ctx);
  if (!fromNudge && !stream) return { card: outcomeFormCard(values, [NOT_BOUND], cardFor), text: NOT_BOUND };
  const krProblem = cardFor.which === 'actual' ? null : keyResultProblem(values.outcome ?? '', values.keyResult);
  if (krProblem) return { card: outcomeFormCard(values, [krProblem.message], cardFor), text: krProblem.message };
  const checked = checkOutcomeForm(data);
  if (!checked.ok) return { card: outcomeFormCard(values, checked.problems, cardFor), text: checked.problems.join(' ') };
  const { epic, outcome, observe } = checked.value;
  const keyResult = cardFor.which === 'actual' ? null : checked.value.keyResult || null;
  const result = stream
    ? await recordOutcome(ctx, stream, { epic, outcome, observe: observe || null, keyResult })
    : await recordOutcomeAnswer(ctx.store, { epic, outcome, observe: observe || null, keyResult, ...(cardFor.stream ? { stream: cardFor.stream } : {}), which: cardFor.which ?? 'anticipated' }, ctx.now);
  if (!result.ok) return { card: outcomeFormCard(values, [result.message], cardFor), text: result.message };
  return {
    card: savedCard(cardFor.which === 'actual' ? 'Actual outcome recorded' : 'Anticipated outcome recorded', [
      { label: 'Epic', value: epic },
      { label: 'Outcome', value: outcome },
      ...(observe ? [{ label: 'Observed by', value: observe }] : []),
      ...(keyResult ? [{ label: 'Key result', value: keyResult }] : []),
    ], result.reply.text),
    text: result.reply.text,
  };
}

/** Runs one card action. `data` is the action's data merged with the card's input values. */
export async function runFormAction(ctx: CommandContext, verb: string, data: unknown): Promise<FormActionResult> {
  const values = stringValues(data);
  switch (verb) {
    case VERBS.openForm: {
      const kind = formKindOf(values.form);
      if (!kind) return { message: `This button asks for a form "${values.form ?? ''}" that does not exist; use @flow event or @flow outcome EPIC.` };
      const prefill = stringValues((data as { prefill?: unknown }).prefill);
      if (kind === 'event-form') return { card: formCard(kind, await todayOf(ctx), prefill), text: 'Log a flow event' };
      // the prefill's `outcome` says which outcome the form records, never its text
      const cardFor = outcomeFormPrefill(prefill);
      const epic = values.value || cardFor.epic;
      const card = outcomeFormCard(epic ? { epic } : {}, [], { ...(cardFor.which ? { which: cardFor.which } : {}), ...(cardFor.stream ? { stream: cardFor.stream } : {}) });
      return { card, text: cardFor.which === 'actual' ? 'Record the actual outcome' : 'Record an anticipated outcome' };
    }
    case VERBS.saveEvent:
      return saveEvent(ctx, data);
    case VERBS.saveOutcome:
      return saveOutcome(ctx, data);
    case VERBS.command: {
      const command = values.command?.trim();
      if (!command) return { message: 'This button carries no command; type @flow help for the commands.' };
      const notice = answersWithChart(parseCommand(command)) ? `Working on "${command}"…` : `"${command}": the answer follows in this conversation.`;
      return { message: notice, command };
    }
    default: {
      const known = Object.values(VERBS).join(', ');
      const reply = errorReply('unknown-card-action', `This card asks flow-nudge for the action "${verb}", which it does not know (it knows ${known}).`, 'The card may be from an older version of the app: ask again with @flow help for a fresh one.');
      return { card: renderReplyCard(reply), text: reply.text };
    }
  }
}
