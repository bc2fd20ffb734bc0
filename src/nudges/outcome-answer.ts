/**
 * Stores the answer of an outcome form opened from a direct message, where no channel names
 * the stream: the form carries `stream` (prefill) or the epic key is looked up in every stream.
 * The Slack modal / Teams card handlers call this for forms whose prefill has `outcome`.
 */
import { z } from 'zod';
import type { Reply } from '../reply/reply.ts';
import type { Store } from '../store/database.ts';
import { listStreams } from '../store/value-streams.ts';
import { getWorkItem, setActualOutcome, setAnticipatedOutcome } from '../store/work-items.ts';

export const outcomeAnswerSchema = z.object({
  stream: z.string().min(1).max(100).optional(),
  epic: z.string().trim().min(1, 'Give the epic key, e.g. CHK-12.').max(100),
  outcome: z.string().trim().min(10, 'Describe the outcome in a sentence (at least 10 characters).').max(1500, 'Keep the outcome under 1,500 characters.'),
  observe: z.string().trim().max(1500).nullish(),
  which: z.enum(['anticipated', 'actual']).default('anticipated'),
});
export type OutcomeAnswer = z.input<typeof outcomeAnswerSchema>;

/** Which outcome a form records: the anticipated one (what the epic should achieve) or the actual one (after it closed). */
export type OutcomeWhich = 'anticipated' | 'actual';

/**
 * Reads an outcome form's prefill as the outcome nudges write it ({ epic, stream, outcome:
 * 'anticipated' | 'actual' }, src/nudges/outcome-ask.ts): `outcome` there says which outcome the
 * form records, never the text of one. Every platform opens its form through this.
 * @example outcomeFormPrefill({ epic: 'WEB-1', stream: 'web', outcome: 'actual' }) // { epic: 'WEB-1', stream: 'web', which: 'actual' }
 */
export function outcomeFormPrefill(prefill: Readonly<Record<string, string>> | undefined): { epic?: string; stream?: string; which?: OutcomeWhich } {
  const which = prefill?.which ?? prefill?.outcome;
  return {
    ...(prefill?.epic ? { epic: prefill.epic } : {}),
    ...(prefill?.stream ? { stream: prefill.stream } : {}),
    ...(which === 'actual' || which === 'anticipated' ? { which } : {}),
  };
}

export type OutcomeAnswerResult = { ok: true; reply: Reply; stream: string } | { ok: false; field: 'epic' | 'outcome' | 'stream'; message: string };

/**
 * Validates and stores an anticipated or actual outcome.
 * @example await recordOutcomeAnswer(store, { stream: 'demo', epic: 'DEMO-E3', outcome: 'Search conversion +5%', observe: 'weekly funnel report' }, now)
 */
export async function recordOutcomeAnswer(store: Store, input: OutcomeAnswer, now: number): Promise<OutcomeAnswerResult> {
  const parsed = outcomeAnswerSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path[0] === 'epic' || issue.path[0] === 'stream' ? issue.path[0] : 'outcome';
    return { ok: false, field, message: issue.message };
  }
  const answer = parsed.data;
  const streams = (await listStreams(store.db)).filter((s) => answer.stream === undefined || s.name === answer.stream);
  if (streams.length === 0) return { ok: false, field: 'stream', message: `There is no value stream "${answer.stream}"; /flow streams lists them.` };
  const found = [];
  for (const stream of streams) {
    const item = await getWorkItem(store.db, stream.id, answer.epic);
    if (item) found.push({ stream, item });
  }
  if (found.length === 0) return { ok: false, field: 'epic', message: `No stream has an item ${answer.epic}: give the epic's key as in the tracker.` };
  if (found.length > 1) return { ok: false, field: 'stream', message: `${answer.epic} exists in ${found.map((f) => f.stream.name).join(' and ')}: say which stream.` };
  const { stream, item } = found[0]!;
  if (!item.isEpic) return { ok: false, field: 'epic', message: `${answer.epic} (${item.title}) is not an epic: outcomes are recorded for epics.` };
  const text = answer.observe ? `${answer.outcome}\nObserved by: ${answer.observe}` : answer.outcome;
  if (answer.which === 'actual') {
    await setActualOutcome(store.db, stream.id, answer.epic, text, now);
    const anticipated = item.anticipatedOutcome ? ` Anticipated was: "${item.anticipatedOutcome}".` : '';
    return { ok: true, stream: stream.name, reply: { text: `Actual outcome of ${answer.epic} (${item.title}) recorded: "${answer.outcome}".${anticipated} It shows in the next check-in.` } };
  }
  await setAnticipatedOutcome(store.db, stream.id, answer.epic, text, now);
  return {
    ok: true,
    stream: stream.name,
    reply: { text: `Anticipated outcome of ${answer.epic} (${item.title}) recorded: "${answer.outcome}". The team sees it in the weekly check-in; it no longer counts in the Feature Factory Ratio.` },
  };
}
