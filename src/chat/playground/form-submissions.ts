/**
 * The playground's three forms (log an event, record an anticipated outcome, start an
 * experiment), submitted as JSON. The request shape is checked with zod; the content goes
 * through the same checks as the Slack modals (readEventSubmission / readOutcomeSubmission)
 * and is stored by the command layer, so a form behaves here exactly as it does in Slack.
 * The experiment form becomes the `/flow experiment start …` command.
 */
import { z } from 'zod';
import { boundStream, localToday, logEvent, recordOutcome, runCommand, type CommandContext } from '../../commands/index.ts';
import type { Reply } from '../../reply/reply.ts';
import { recordOutcomeAnswer } from '../../nudges/outcome-answer.ts';
import { BLOCK, readEventSubmission, readOutcomeSubmission } from '../slack/modals.ts';

export const FORM_KINDS = ['event', 'outcome', 'experiment'] as const;
export type FormKind = (typeof FORM_KINDS)[number];

/** Stored: the bot's answer. Not stored: one message per field (`form` for the form as a whole). */
export type FormResult = { ok: true; reply: Reply } | { ok: false; errors: Record<string, string> };

const field = (max: number) => z.string().max(max, `Keep it under ${max.toLocaleString('en')} characters.`).optional().default('');

export const eventFormBody = z.object({ text: field(2000), date: field(10) });
export const outcomeFormBody = z.object({
  epic: field(100),
  outcome: field(1500),
  observe: field(450),
  /** the parent OKR / key result (anticipated outcomes only; its length is checked with the Slack modal's rules) */
  keyResult: field(2000),
  /** which outcome the form records (the review of a closed epic opens it for the actual one) */
  which: z.enum(['', 'anticipated', 'actual'], { error: 'which is "anticipated" or "actual".' }).optional().default(''),
  /** the stream the outcome nudge named (else the channel's) */
  stream: field(100),
});

const noBar = (what: string) => (s: string) => !s.includes('|') || `${what} cannot contain "|" (it separates the options of /flow experiment start).`;
export const experimentFormBody = z.object({
  policy: field(300),
  measure: z.enum(['', 'leadtime', 'cycletime', 'throughput', 'wip'], { error: 'Pick leadtime, cycletime, throughput or wip.' }).optional().default(''),
  review: z.union([z.literal(''), z.iso.date({ error: 'Give the review date as YYYY-MM-DD.' })]).optional().default(''),
  owner: field(100),
});

const BODIES = { event: eventFormBody, outcome: outcomeFormBody, experiment: experimentFormBody } as const;

/** Slack block ids → the playground's field names. */
const FIELD_OF_BLOCK: Record<string, string> = {
  [BLOCK.eventText]: 'text',
  [BLOCK.eventDate]: 'date',
  [BLOCK.epic]: 'epic',
  [BLOCK.outcome]: 'outcome',
  [BLOCK.observe]: 'observe',
  [BLOCK.keyResult]: 'keyResult',
};

/** The values as a Slack view would carry them, so the Slack modal's own checks read them. */
function asSlackView(ctx: CommandContext, values: Record<string, { value?: string; selected_date?: string }>) {
  const state: Record<string, Record<string, { value?: string; selected_date?: string }>> = {};
  for (const [block, v] of Object.entries(values)) state[block] = { value: v };
  return { private_metadata: JSON.stringify({ channelId: ctx.channelId }), state: { values: state } };
}

function renameBlocks(errors: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(errors).map(([block, message]) => [FIELD_OF_BLOCK[block] ?? 'form', message]));
}

function zodErrors(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) errors[String(issue.path[0] ?? 'form')] ??= issue.message;
  return errors;
}

/**
 * Validates and stores one form submission for the context's channel.
 * @example await submitPlaygroundForm(ctx, 'outcome', { epic: 'DEMO-E3', outcome: 'Repeat purchases up 10% within a quarter' })
 */
export async function submitPlaygroundForm(ctx: CommandContext, kind: FormKind, body: unknown): Promise<FormResult> {
  const parsed = BODIES[kind].safeParse(body ?? {});
  if (!parsed.success) return { ok: false, errors: zodErrors(parsed.error) };
  const stream = await boundStream(ctx);
  if (!stream) return { ok: false, errors: { form: 'This channel follows no value stream: run /flow bind demo first.' } };

  if (kind === 'event') {
    const { text, date } = parsed.data as z.infer<typeof eventFormBody>;
    const today = localToday(ctx.now, stream.map.timeZone);
    const read = readEventSubmission(asSlackView(ctx, { [BLOCK.eventText]: { value: text }, [BLOCK.eventDate]: { selected_date: date || today } }), today);
    if (!read.ok) return { ok: false, errors: renameBlocks(read.errors) };
    return { ok: true, reply: await logEvent(ctx, stream, { text: read.value.text, date: read.value.date }) };
  }

  if (kind === 'outcome') {
    const { epic, outcome, observe, keyResult, which, stream: named } = parsed.data as z.infer<typeof outcomeFormBody>;
    const read = readOutcomeSubmission(
      asSlackView(ctx, { [BLOCK.epic]: { value: epic }, [BLOCK.outcome]: { value: outcome }, [BLOCK.observe]: { value: observe }, [BLOCK.keyResult]: { value: which === 'actual' ? '' : keyResult } }),
    );
    if (!read.ok) return { ok: false, errors: renameBlocks(read.errors) };
    if (which || named) {
      // opened from an outcome nudge (ask or review): stored as the Slack modal and Teams card store it
      const answer = await recordOutcomeAnswer(ctx.store, { ...read.value, stream: named || stream.name, which: which || 'anticipated' }, ctx.now);
      if (!answer.ok) return { ok: false, errors: { [answer.field === 'stream' ? 'form' : answer.field]: answer.message } };
      return { ok: true, reply: answer.reply };
    }
    const stored = await recordOutcome(ctx, stream, read.value);
    if (!stored.ok) return { ok: false, errors: { [stored.field]: stored.message } };
    return { ok: true, reply: stored.reply };
  }

  const input = parsed.data as z.infer<typeof experimentFormBody>;
  const policy = input.policy.trim();
  const owner = input.owner.trim();
  const errors: Record<string, string> = {};
  if (policy.length < 3) errors.policy = 'Name the policy you change, e.g. "WIP limit 3 in Code review" (at least 3 characters).';
  for (const [name, value, what] of [['policy', policy, 'The policy'], ['owner', owner, 'The owner role']] as const) {
    const ok = noBar(what)(value);
    if (ok !== true) errors[name] ??= ok;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const text = [`experiment start ${policy}`, input.measure && `measure ${input.measure}`, input.review && `review ${input.review}`, owner && `owner ${owner}`]
    .filter(Boolean)
    .join(' | ');
  const reply = await runCommand(ctx, text);
  if (reply.error) {
    const where = reply.error.code === 'bad-review-date' ? 'review' : 'form';
    return { ok: false, errors: { [where]: reply.text } };
  }
  return { ok: true, reply };
}
