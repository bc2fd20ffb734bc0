import type { types } from '@slack/bolt';
import { z } from 'zod';
import { KEY_RESULT_MAX, keyResultProblem } from '../../nudges/outcome-answer.ts';

/** callback_id of the two modals */
export const EVENT_FORM = 'flow-event-form';
export const OUTCOME_FORM = 'flow-outcome-form';

/** block ids: submission errors are shown under the block with this id */
export const BLOCK = {
  eventText: 'event_text',
  eventDate: 'event_date',
  epic: 'epic',
  outcome: 'outcome',
  observe: 'observe',
  keyResult: 'key_result',
} as const;
const ACTION = 'value';

/** What the modal carries through Slack unchanged (private_metadata, at most 3,000 characters). */
export const modalMetadataSchema = z.object({
  channelId: z.string().min(1),
  teamId: z.string().optional(),
  /** set when the form was opened from a direct message (an outcome ask): no channel names the stream */
  stream: z.string().optional(),
  /** which outcome the form records (an outcome ask or review) */
  which: z.enum(['anticipated', 'actual']).optional(),
});
export type ModalMetadata = z.infer<typeof modalMetadataSchema>;

const plain = (text: string) => ({ type: 'plain_text' as const, text });

function textInput(blockId: string, label: string, options: { multiline?: boolean; initial?: string; placeholder?: string; optional?: boolean; max?: number } = {}): types.InputBlock {
  return {
    type: 'input',
    block_id: blockId,
    optional: options.optional ?? false,
    label: plain(label),
    element: {
      type: 'plain_text_input',
      action_id: ACTION,
      multiline: options.multiline ?? false,
      max_length: options.max ?? 2000,
      ...(options.initial ? { initial_value: options.initial } : {}),
      ...(options.placeholder ? { placeholder: plain(options.placeholder) } : {}),
    },
  };
}

/** The "log a policy change" modal. `today` is the stream's local date (YYYY-MM-DD). */
export function eventModal(meta: ModalMetadata, options: { today: string; text?: string }): types.ModalView {
  return {
    type: 'modal',
    callback_id: EVENT_FORM,
    private_metadata: JSON.stringify(meta),
    title: plain('Log a policy change'),
    submit: plain('Log it'),
    close: plain('Cancel'),
    blocks: [
      textInput(BLOCK.eventText, 'What changed?', { multiline: true, initial: options.text, placeholder: 'e.g. WIP limit of 3 in Code review' }),
      {
        type: 'input',
        block_id: BLOCK.eventDate,
        label: plain('Since when'),
        element: { type: 'datepicker', action_id: ACTION, initial_date: options.today },
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'Each logged change starts a new phase on the XmR charts, so you can read its effect.' }] },
    ],
  };
}

/** The "anticipated outcome" modal for an epic. */
export function outcomeModal(meta: ModalMetadata, options: { epic?: string; outcome?: string }): types.ModalView {
  const actual = meta.which === 'actual';
  return {
    type: 'modal',
    callback_id: OUTCOME_FORM,
    private_metadata: JSON.stringify(meta),
    title: plain(actual ? 'Actual outcome' : 'Anticipated outcome'),
    submit: plain('Save'),
    close: plain('Cancel'),
    blocks: [
      textInput(BLOCK.epic, 'Epic', { initial: options.epic, placeholder: 'e.g. CHK-12', max: 100 }),
      textInput(BLOCK.outcome, actual ? 'What did this epic achieve?' : 'What should this epic achieve?', { multiline: true, initial: options.outcome }),
      textInput(BLOCK.observe, actual ? 'How did you observe it?' : 'How will you observe it?', { multiline: true, optional: true, placeholder: 'e.g. checkout abandonment below 20% in the weekly report' }),
      // the parent OKR / key result goes with the anticipated outcome only
      ...(actual ? [] : [textInput(BLOCK.keyResult, 'Parent OKR / key result', { optional: true, placeholder: 'e.g. O2 KR1: repeat purchases +10%', max: KEY_RESULT_MAX })]),
    ],
  };
}

type StateValues = Record<string, Record<string, { value?: string | null; selected_date?: string | null }>>;

const stateOf = (values: StateValues, block: string) => values[block]?.[ACTION];

/** A submission read from a view: its values, or the errors to show by block id. */
export type Submission<T> = { ok: true; value: T; meta: ModalMetadata } | { ok: false; errors: Record<string, string> };

function readMeta(view: { private_metadata?: string }): ModalMetadata | null {
  try {
    return modalMetadataSchema.parse(JSON.parse(view.private_metadata ?? ''));
  } catch {
    return null;
  }
}

/**
 * Reads and validates the event modal: text of 3 to 2,000 characters, a date not after today.
 * @example readEventSubmission(view, '2026-09-10') // { ok: true, value: { text: 'WIP limit 3', date: '2026-09-10' }, meta }
 */
export function readEventSubmission(view: { private_metadata?: string; state: { values: StateValues } }, today: string): Submission<{ text: string; date: string }> {
  const errors: Record<string, string> = {};
  const meta = readMeta(view);
  const text = (stateOf(view.state.values, BLOCK.eventText)?.value ?? '').trim();
  const date = stateOf(view.state.values, BLOCK.eventDate)?.selected_date ?? today;
  if (text.length < 3) errors[BLOCK.eventText] = 'Say what changed in a few words (at least 3 characters).';
  if (!z.iso.date().safeParse(date).success) errors[BLOCK.eventDate] = 'Pick a date.';
  else if (date > today) errors[BLOCK.eventDate] = `Log a change once it has happened: pick ${today} or earlier.`;
  if (!meta) errors[BLOCK.eventText] = 'This form lost its channel; close it and run /flow event again.';
  if (Object.keys(errors).length > 0 || !meta) return { ok: false, errors };
  return { ok: true, value: { text, date }, meta };
}

/** Reads and validates the outcome modal: an epic key and an outcome of at least 10 characters. */
export function readOutcomeSubmission(view: {
  private_metadata?: string;
  state: { values: StateValues };
}): Submission<{ epic: string; outcome: string; observe: string | null; keyResult: string | null }> {
  const errors: Record<string, string> = {};
  const meta = readMeta(view);
  const epic = (stateOf(view.state.values, BLOCK.epic)?.value ?? '').trim();
  const outcome = (stateOf(view.state.values, BLOCK.outcome)?.value ?? '').trim();
  const observe = (stateOf(view.state.values, BLOCK.observe)?.value ?? '').trim();
  const keyResult = (stateOf(view.state.values, BLOCK.keyResult)?.value ?? '').trim();
  if (!/^[\w.#/-]{1,100}$/.test(epic)) errors[BLOCK.epic] = 'Give the epic key as in the tracker, e.g. CHK-12.';
  if (outcome.length < 10) errors[BLOCK.outcome] = 'Describe the outcome in a sentence (at least 10 characters): what will be different for users or the business?';
  const kr = keyResultProblem(outcome, keyResult);
  if (kr) errors[kr.field === 'outcome' ? BLOCK.outcome : BLOCK.keyResult] = kr.message;
  if (!meta) errors[BLOCK.epic] = 'This form lost its channel; close it and run /flow outcome again.';
  if (Object.keys(errors).length > 0 || !meta) return { ok: false, errors };
  return { ok: true, value: { epic, outcome, observe: observe || null, keyResult: keyResult || null }, meta };
}
