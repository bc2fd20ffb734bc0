import { featureFactoryRatio } from '../../core/feature-factory-ratio.ts';
import { timeToOutcome } from '../../core/time-to-outcome.ts';
import { listEpics } from '../../nudges/epics.ts';
import { keyResultProblem } from '../../nudges/outcome-answer.ts';
import { formatShortDate } from '../../nudges/signal-words.ts';
import { getWorkItem, setAnticipatedOutcome } from '../../store/work-items.ts';
import { loadFlowHistory } from '../flow-history-cache.ts';
import type { BoundStream, CommandContext } from '../context.ts';
import type { Reply, ReplySection } from '../../reply/reply.ts';

/** A stored outcome, or the field that is wrong and why (for a form to show next to it). */
export type OutcomeResult = { ok: true; reply: Reply } | { ok: false; field: 'epic' | 'outcome' | 'keyResult'; message: string };

/** Records what an epic should achieve (and how it will be observed). The epic must exist in the stream. */
export async function recordOutcome(
  ctx: CommandContext,
  stream: BoundStream,
  input: { epic: string; outcome: string; observe?: string | null; keyResult?: string | null },
): Promise<OutcomeResult> {
  const krProblem = keyResultProblem(input.outcome, input.keyResult);
  if (krProblem) return { ok: false, ...krProblem };
  const item = await getWorkItem(ctx.store.db, stream.streamId, input.epic);
  if (!item) return { ok: false, field: 'epic', message: `${stream.name} has no item ${input.epic}: give the epic's key as in the tracker.` };
  if (!item.isEpic) return { ok: false, field: 'epic', message: `${input.epic} (${item.title}) is not an epic: anticipated outcomes are recorded for epics.` };
  const text = input.observe ? `${input.outcome}\nObserved by: ${input.observe}` : input.outcome;
  const keyResult = input.keyResult?.trim() || null;
  await setAnticipatedOutcome(ctx.store.db, stream.streamId, input.epic, text, ctx.now, keyResult);
  return { ok: true, reply: { text: `Anticipated outcome of ${input.epic} (${item.title}) recorded: "${input.outcome}"${keyResult ? `, for the key result "${keyResult}"` : ''}. It no longer counts in the Feature Factory Ratio.` } };
}

/** `/flow outcome EPIC TEXT`; without the text, the outcome form (pre-filled with the epic). */
export async function outcomeReply(ctx: CommandContext, stream: BoundStream, epic?: string, text?: string): Promise<Reply> {
  if (!epic || !text) {
    return {
      text: `Record the anticipated outcome of ${epic ?? 'an epic'}: what should it achieve, and how will you observe it?`,
      ephemeral: true,
      form: { kind: 'outcome-form', ...(epic ? { prefill: { epic } } : {}) },
      buttons: [{ id: 'open-outcome-form', label: 'Record an outcome', opens: 'outcome-form', ...(epic ? { value: epic } : {}) }],
    };
  }
  const result = await recordOutcome(ctx, stream, { epic, outcome: text });
  if (result.ok) return result.reply;
  return { text: result.message, ephemeral: true, error: { code: `bad-${result.field}`, fix: 'Check the key with your tracker; /flow ffr lists the epics without an outcome.' } };
}

/** The stream's epics that have no anticipated outcome yet (what the outcome form offers). */
export async function epicsWithoutOutcome(ctx: CommandContext, stream: BoundStream): Promise<{ key: string; title: string }[]> {
  return featureFactoryRatio((await loadFlowHistory(ctx.store, stream.streamId, stream.map)).items).missing.map((m) => ({ key: m.key, title: m.title }));
}

/** `/flow ffr`: epics without an anticipated outcome ÷ all epics × 100. */
export async function ffrReply(ctx: CommandContext, stream: BoundStream): Promise<Reply> {
  const report = featureFactoryRatio((await loadFlowHistory(ctx.store, stream.streamId, stream.map)).items);
  if (report.ratio === null) return { text: `${stream.name} has no epics yet, so there is no Feature Factory Ratio.` };
  const missing = report.missing.slice(0, 10);
  // the key result is the next step after an outcome, not a requirement: it does not change the ratio
  const withOutcome = (await listEpics(ctx.store.db, stream.streamId, stream.map)).filter((e) => (e.anticipatedOutcome ?? '').trim() !== '');
  const withKr = withOutcome.filter((e) => e.keyResult !== null);
  const outcomes = withOutcome.slice(-10).map((e) => `${e.key} ${e.title}: "${(e.anticipatedOutcome ?? '').split('\n')[0]}" — ${e.keyResult ? `key result: ${e.keyResult}` : 'no key result yet'}`);
  return {
    text:
      `Feature Factory Ratio of ${stream.name}: ${Math.round(report.ratio)}% — ${report.withoutOutcome} of ${report.epics} epics have no anticipated outcome.` +
      (withOutcome.length > 0 ? ` ${withKr.length} of the ${withOutcome.length} with an outcome name the key result it serves.` : ''),
    sections: [
      ...(missing.length > 0 ? [{ title: 'Epics without an outcome', text: missing.map((m) => `${m.key} ${m.title}`).join('\n') }] : []),
      ...(outcomes.length > 0 ? [{ title: 'Anticipated outcomes and their key results', text: outcomes.join('\n') }] : []),
    ],
    buttons: missing.length > 0 ? [{ id: 'open-outcome-form', label: 'Record an outcome', opens: 'outcome-form', value: missing[0]!.key }] : [],
  };
}

/** The first line of an outcome (without its "Observed by" line), or a dash. */
const firstLine = (outcome: string | null): string => (outcome ?? '').split('\n')[0]!.trim() || '—';
const daysWord = (n: number): string => `${n} day${n === 1 ? '' : 's'}`;

/**
 * `/flow outcomes`: time to outcome — days from an epic's creation to its recorded actual outcome,
 * with percentiles; the latest reviews with anticipated beside actual; closed epics without a
 * review as "not yet learned".
 */
export async function outcomesReply(ctx: CommandContext, stream: BoundStream): Promise<Reply> {
  const { timeZone } = stream.map;
  const report = timeToOutcome(await listEpics(ctx.store.db, stream.streamId, stream.map), timeZone, ctx.now);
  const sections: ReplySection[] = [];
  const p = report.percentiles;
  const notYet = report.notYetLearned.length;
  const notYetWords = notYet === 0 ? 'No closed epic awaits its review.' : `${notYet} closed epic${notYet === 1 ? ' is' : 's are'} not yet learned (no actual outcome recorded).`;
  let text: string;
  if (p === null) {
    text = `No epic of ${stream.name} has a recorded actual outcome yet, so there is no time to outcome. ${notYetWords}`;
  } else {
    const n = report.learned.length;
    text =
      `Time to outcome of ${stream.name}: from creating an epic to learning whether it delivered what it anticipated takes ${daysWord(p['50'])} or less for half of the epics ` +
      `(70%: ${p['70']}, 85%: ${p['85']}, 95%: ${p['95']} days; ${n} epic${n === 1 ? '' : 's'} reviewed). ${notYetWords}`;
    sections.push({
      title: 'Time to outcome (creation → actual outcome, calendar days)',
      fields: [
        { label: '50%', value: daysWord(p['50']) },
        { label: '70%', value: daysWord(p['70']) },
        { label: '85%', value: daysWord(p['85']) },
        { label: '95%', value: daysWord(p['95']) },
      ],
    });
    for (const epic of report.learned.slice(-5).reverse()) {
      sections.push({
        title: `${epic.key} ${epic.title} · learned in ${daysWord(epic.days)} (${formatShortDate(epic.learnedAt, timeZone, ctx.now)})`,
        fields: [
          { label: 'Anticipated', value: epic.anticipated === null ? 'none was recorded' : firstLine(epic.anticipated) },
          { label: 'Actual', value: firstLine(epic.actual) },
        ],
      });
    }
    if (report.learned.length > 5) sections.push({ text: `…and ${report.learned.length - 5} earlier review${report.learned.length === 6 ? '' : 's'}.` });
  }
  if (notYet > 0) {
    const lines = report.notYetLearned.slice(0, 10).map(
      (e) =>
        `${e.key} ${e.title} — closed ${formatShortDate(e.closedAt, timeZone, ctx.now)} (${daysWord(e.daysSinceClose)} ago), ${daysWord(e.daysSoFar)} since it was created; ` +
        (e.anticipated === null ? 'no outcome was anticipated' : `anticipated "${firstLine(e.anticipated)}"`),
    );
    if (notYet > 10) lines.push(`…and ${notYet - 10} more`);
    sections.push({ title: 'Not yet learned', text: lines.join('\n') });
  }
  if (report.open > 0) sections.push({ text: `${report.open} epic${report.open === 1 ? ' is' : 's are'} still open (not counted).` });
  return { text, sections };
}
