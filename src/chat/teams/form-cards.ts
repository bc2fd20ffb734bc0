/**
 * The two forms as cards with inputs (the Teams counterpart of the Slack modals): logging a
 * flow event, and recording an epic's anticipated outcome. Submissions are validated here
 * with zod (the shape of what Teams sends) and then stored through the command layer, which
 * validates the content the same way for Slack and Teams.
 */
import { z } from 'zod';
import type { ReplyFormKind } from '../../reply/reply.ts';
import { adaptiveCard, executeAction, textBlock, VERBS, type AdaptiveCard, type CardElement } from './adaptive-card.ts';

const EPIC_KEY = /^[\w.#/-]+$/;

/** The event form's fields: what changed (3 to 2,000 characters) and when (a date not after today). */
export function eventFormSchema(today: string) {
  return z.object({
    text: z
      .string({ error: 'Say what changed, e.g. "WIP limit 3 on Code review".' })
      .trim()
      .min(3, 'Say what changed in a few words (at least 3 characters).')
      .max(2000, 'Keep the event under 2,000 characters.'),
    date: z
      .union([z.literal(''), z.iso.date({ error: 'Pick a date (YYYY-MM-DD).' })])
      .optional()
      .transform((d) => (d ? d : today))
      .refine((d) => d <= today, `Log a change once it has happened: pick ${today} or earlier.`),
  });
}
export type EventForm = z.infer<ReturnType<typeof eventFormSchema>>;

export const outcomeFormSchema = z.object({
  epic: z
    .string({ error: 'Give the epic key, e.g. CHK-12.' })
    .trim()
    .min(1, 'Give the epic key, e.g. CHK-12.')
    .max(100, 'An epic key is at most 100 characters.')
    .regex(EPIC_KEY, 'An epic key looks like CHK-12 or #123 (letters, digits, . # / - _).'),
  outcome: z
    .string({ error: 'Say what the epic should achieve.' })
    .trim()
    .min(10, 'Describe the outcome in a sentence (at least 10 characters): what will be different for users or the business?')
    .max(1500, 'Keep the outcome under 1,500 characters.'),
  observe: z.string().trim().max(450, 'Keep "how will we observe it" under 450 characters.').optional().default(''),
  /** the parent OKR / key result (checked by keyResultProblem before this schema) */
  keyResult: z.string().trim().optional().default(''),
});
export type OutcomeForm = z.infer<typeof outcomeFormSchema>;

export type FormValues = Record<string, string>;

/** Result of checking a submission: the typed values, or one message per problem. */
export type FormCheck<T> = { ok: true; value: T } | { ok: false; problems: string[]; values: FormValues };

function valuesOf(data: unknown): FormValues {
  const values: FormValues = {};
  if (data && typeof data === 'object') {
    for (const [key, value] of Object.entries(data)) if (typeof value === 'string') values[key] = value;
  }
  return values;
}

function check<T>(schema: z.ZodType<T>, data: unknown): FormCheck<T> {
  const parsed = schema.safeParse(data);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, problems: parsed.error.issues.map((i) => i.message), values: valuesOf(data) };
}

export const checkEventForm = (data: unknown, today: string): FormCheck<EventForm> => check(eventFormSchema(today), data);
export const checkOutcomeForm = (data: unknown): FormCheck<OutcomeForm> => check(outcomeFormSchema, data);

function problemsBlock(problems: string[]): CardElement[] {
  if (problems.length === 0) return [];
  return [textBlock(`Not saved: ${problems.join(' ')}`, { color: 'attention', weight: 'bolder' })];
}

/** The "log an event" card. `values` pre-fills the inputs (after a failed submission too). */
export function eventFormCard(today: string, values: FormValues = {}, problems: string[] = []): AdaptiveCard {
  return adaptiveCard(
    [
      textBlock('Log a flow event', { size: 'medium', weight: 'bolder' }),
      textBlock('A policy change or anything else that may shift the flow. It starts a new phase on the XmR charts.', { isSubtle: true }),
      ...problemsBlock(problems),
      {
        type: 'Input.Text',
        id: 'text',
        label: 'What changed?',
        placeholder: 'WIP limit 3 on Code review',
        isMultiline: true,
        isRequired: true,
        maxLength: 2000,
        errorMessage: 'Say what changed.',
        value: values.text ?? '',
      },
      { type: 'Input.Date', id: 'date', label: 'When?', max: today, value: values.date || today },
    ],
    [executeAction('Log event', VERBS.saveEvent, {}, { style: 'positive' })],
  );
}

/** Which outcome the card records and for which stream (from the outcome nudge); both ride on the save action. */
export interface OutcomeCardFor {
  which?: 'anticipated' | 'actual';
  stream?: string;
}

/** The outcome card for an epic: the anticipated outcome, or (for a closed epic's review) the actual one. */
export function outcomeFormCard(values: FormValues = {}, problems: string[] = [], cardFor: OutcomeCardFor = {}): AdaptiveCard {
  const epic = values.epic ?? '';
  const actual = cardFor.which === 'actual';
  const what = actual ? 'Actual outcome' : 'Anticipated outcome';
  return adaptiveCard(
    [
      textBlock(epic ? `${what} of ${epic}` : `Record an ${actual ? 'actual' : 'anticipated'} outcome`, { size: 'medium', weight: 'bolder' }),
      textBlock(
        actual
          ? 'The epic has closed: what did it achieve, and how did the team see it? The check-in puts it next to the anticipated outcome.'
          : 'What should this epic achieve, and how will the team see that it did? Epics without an answer count in the Feature Factory Ratio.',
        { isSubtle: true },
      ),
      ...problemsBlock(problems),
      { type: 'Input.Text', id: 'epic', label: 'Epic', placeholder: 'CHK-12', isRequired: true, maxLength: 100, errorMessage: 'Give the epic key.', value: epic },
      {
        type: 'Input.Text',
        id: 'outcome',
        label: actual ? 'What did it achieve?' : 'What should it achieve?',
        placeholder: 'Fewer abandoned checkouts: below 20% of sessions',
        isMultiline: true,
        isRequired: true,
        maxLength: 1500,
        errorMessage: actual ? 'Say what the epic achieved.' : 'Say what the epic should achieve.',
        value: values.outcome ?? '',
      },
      { type: 'Input.Text', id: 'observe', label: actual ? 'How did we observe it?' : 'How will we observe it?', placeholder: 'Weekly abandonment report', isMultiline: true, maxLength: 450, value: values.observe ?? '' },
      // the parent OKR / key result goes with the anticipated outcome only
      ...(actual ? [] : [{ type: 'Input.Text', id: 'keyResult', label: 'Parent OKR / key result (optional)', placeholder: 'O2 KR1: repeat purchases +10%', maxLength: 300, value: values.keyResult ?? '' } as CardElement]),
    ],
    [executeAction('Save outcome', VERBS.saveOutcome, { ...(cardFor.which ? { which: cardFor.which } : {}), ...(cardFor.stream ? { stream: cardFor.stream } : {}) }, { style: 'positive' })],
  );
}

/** The form card of a kind. */
export function formCard(kind: ReplyFormKind, today: string, values: FormValues = {}, cardFor: OutcomeCardFor = {}): AdaptiveCard {
  return kind === 'event-form' ? eventFormCard(today, values) : outcomeFormCard(values, [], cardFor);
}

/** The read-only card that replaces a form once it is saved. */
export function savedCard(title: string, facts: { label: string; value: string }[], note?: string): AdaptiveCard {
  return adaptiveCard([
    textBlock(title, { size: 'medium', weight: 'bolder', color: 'good' }),
    { type: 'FactSet', facts: facts.map((f) => ({ title: f.label, value: f.value })) },
    ...(note ? [textBlock(note, { isSubtle: true })] : []),
  ]);
}
