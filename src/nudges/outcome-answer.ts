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

/** A key result is one short line: the parent OKR / key result an anticipated outcome serves. */
export const KEY_RESULT_MAX = 300;

/**
 * Why a key result cannot be stored with this outcome, or null when it can (every form checks it here).
 * @example keyResultProblem('', 'KR2: repeat purchases +10%') // { field: 'outcome', message: 'A key result goes with …' }
 */
export function keyResultProblem(outcome: string, keyResult: string | null | undefined): { field: 'outcome' | 'keyResult'; message: string } | null {
  const kr = (keyResult ?? '').trim();
  if (kr === '') return null;
  if (outcome.trim() === '') return { field: 'outcome', message: 'A key result goes with an anticipated outcome: describe the outcome too (at least 10 characters), or leave the key result empty.' };
  if (kr.length > KEY_RESULT_MAX) return { field: 'keyResult', message: `Keep the key result under ${KEY_RESULT_MAX} characters (it has ${kr.length}): name the OKR and key result, e.g. "O2 KR1: repeat purchases +10%".` };
  if (kr.includes('\n')) return { field: 'keyResult', message: 'Give the key result on one line, e.g. "O2 KR1: repeat purchases +10%".' };
  return null;
}

export const outcomeAnswerSchema = z.object({
  stream: z.string().min(1).max(100).optional(),
  epic: z.string().trim().min(1, 'Give the epic key, e.g. CHK-12.').max(100),
  outcome: z.string().trim().min(10, 'Describe the outcome in a sentence (at least 10 characters).').max(1500, 'Keep the outcome under 1,500 characters.'),
  observe: z.string().trim().max(1500).nullish(),
  which: z.enum(['anticipated', 'actual']).default('anticipated'),
  keyResult: z.string().nullish(),
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

export type OutcomeAnswerResult = { ok: true; reply: Reply; stream: string } | { ok: false; field: 'epic' | 'outcome' | 'stream' | 'keyResult'; message: string };

/**
 * Validates and stores an anticipated or actual outcome.
 * @example await recordOutcomeAnswer(store, { stream: 'demo', epic: 'DEMO-E3', outcome: 'Search conversion +5%', observe: 'weekly funnel report' }, now)
 */
export async function recordOutcomeAnswer(store: Store, input: OutcomeAnswer, now: number): Promise<OutcomeAnswerResult> {
  const krProblem = (input.which ?? 'anticipated') === 'anticipated' ? keyResultProblem(input.outcome ?? '', input.keyResult) : null;
  if (krProblem) return { ok: false, ...krProblem };
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
  const keyResult = answer.keyResult?.trim() || null;
  await setAnticipatedOutcome(store.db, stream.id, answer.epic, text, now, keyResult);
  return {
    ok: true,
    stream: stream.name,
    reply: { text: `Anticipated outcome of ${answer.epic} (${item.title}) recorded: "${answer.outcome}"${keyResult ? `, for the key result "${keyResult}"` : ''}. The team sees it in the weekly check-in; it no longer counts in the Feature Factory Ratio.` },
  };
}
