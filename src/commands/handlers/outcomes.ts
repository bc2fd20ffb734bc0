import { featureFactoryRatio } from '../../core/feature-factory-ratio.ts';
import { getWorkItem, setAnticipatedOutcome } from '../../store/work-items.ts';
import { loadFlowHistory } from '../flow-history-cache.ts';
import type { BoundStream, CommandContext } from '../context.ts';
import type { Reply } from '../../reply/reply.ts';

/** A stored outcome, or the field that is wrong and why (for a form to show next to it). */
export type OutcomeResult = { ok: true; reply: Reply } | { ok: false; field: 'epic' | 'outcome'; message: string };

/** Records what an epic should achieve (and how it will be observed). The epic must exist in the stream. */
export async function recordOutcome(
  ctx: CommandContext,
  stream: BoundStream,
  input: { epic: string; outcome: string; observe?: string | null },
): Promise<OutcomeResult> {
  const item = await getWorkItem(ctx.store.db, stream.streamId, input.epic);
  if (!item) return { ok: false, field: 'epic', message: `${stream.name} has no item ${input.epic}: give the epic's key as in the tracker.` };
  if (!item.isEpic) return { ok: false, field: 'epic', message: `${input.epic} (${item.title}) is not an epic: anticipated outcomes are recorded for epics.` };
  const text = input.observe ? `${input.outcome}\nObserved by: ${input.observe}` : input.outcome;
  await setAnticipatedOutcome(ctx.store.db, stream.streamId, input.epic, text, ctx.now);
  return { ok: true, reply: { text: `Anticipated outcome of ${input.epic} (${item.title}) recorded: "${input.outcome}". It no longer counts in the Feature Factory Ratio.` } };
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
  return {
    text: `Feature Factory Ratio of ${stream.name}: ${Math.round(report.ratio)}% — ${report.withoutOutcome} of ${report.epics} epics have no anticipated outcome.`,
    sections: missing.length > 0 ? [{ title: 'Epics without an outcome', text: missing.map((m) => `${m.key} ${m.title}`).join('\n') }] : [],
    buttons: missing.length > 0 ? [{ id: 'open-outcome-form', label: 'Record an outcome', opens: 'outcome-form', value: missing[0]!.key }] : [],
  };
}
