import { addDaysToDate } from '../../core/index.ts';
import { addFlowEvent } from '../../store/flow-events.ts';
import { endExperiment, ExperimentAlreadyOpenError, getOpenExperiment, startExperiment } from '../../store/experiments.ts';
import type { BoundStream, CommandContext } from '../context.ts';
import { errorReply, type Reply } from '../../reply/reply.ts';
import { localToday } from './events.ts';
import { loadFlowHistory } from '../flow-history-cache.ts';
import { experimentComparison, experimentNumbers } from '../../nudges/experiment-review.ts';
import { formatShortDate } from '../../nudges/signal-words.ts';

/** `/flow experiment start POLICY | measure METRIC | review DATE | owner ROLE`: logged as an event too. */
export async function experimentStartReply(
  ctx: CommandContext,
  stream: BoundStream,
  input: { policy: string; measure?: string; review?: string; owner?: string },
): Promise<Reply> {
  const today = localToday(ctx.now, stream.map.timeZone);
  if (input.review && input.review <= today) {
    return errorReply('bad-review-date', `The review date ${input.review} is not in the future.`, `Give a date after ${today}, e.g. review ${addDaysToDate(today, 28)}.`);
  }
  const open = await getOpenExperiment(ctx.store.db, stream.streamId);
  if (open) {
    return errorReply('experiment-open', `${stream.name} already runs the experiment "${open.policy}".`, 'Change one policy at a time: end it with /flow experiment end, then start the next.');
  }
  const eventId = await addFlowEvent(ctx.store.db, stream.streamId, { at: ctx.now, text: `Experiment started: ${input.policy}`, kind: 'experiment' }, ctx.now);
  try {
    await startExperiment(ctx.store.db, {
      streamId: stream.streamId,
      policy: input.policy,
      measure: input.measure ?? null,
      reviewOn: input.review ?? null,
      ownerRole: input.owner ?? null,
      startedAt: ctx.now,
      eventId,
    });
  } catch (error) {
    if (error instanceof ExperimentAlreadyOpenError) {
      return errorReply('experiment-open', `${stream.name} already runs the experiment "${error.open.policy}".`, 'End it with /flow experiment end first.');
    }
    throw error;
  }
  const measure = input.measure ? ` Measure: ${input.measure}.` : ' No measure given: add one next time with "| measure cycletime".';
  const review = input.review ? ` Review on ${input.review}.` : '';
  return { text: `Experiment started for ${stream.name}: "${input.policy}".${measure}${review} Logged as an event, so the XmR charts start a new phase today.` };
}

/** `/flow experiment status` */
export async function experimentStatusReply(ctx: CommandContext, stream: BoundStream): Promise<Reply> {
  const open = await getOpenExperiment(ctx.store.db, stream.streamId);
  if (!open) return { text: `${stream.name} runs no experiment. Start one with /flow experiment start POLICY | measure METRIC | review DATE.` };
  const started = localToday(open.startedAt, stream.map.timeZone);
  const runningDays = Math.floor((ctx.now - open.startedAt) / 86_400_000);
  const fields = [
    { label: 'Policy', value: open.policy },
    { label: 'Started', value: `${started} (${runningDays} days ago)` },
    { label: 'Measure', value: open.measure ?? 'none given' },
    { label: 'Review on', value: open.reviewOn ?? 'no date set' },
  ];
  if (open.ownerRole) fields.push({ label: 'Owner role', value: open.ownerRole });
  const series = open.measure && ['leadtime', 'cycletime', 'throughput', 'wip'].includes(open.measure) ? open.measure : 'leadtime';
  return { text: `Experiment of ${stream.name}: "${open.policy}". Read its effect on /flow xmr ${series}: a signal after ${started} is a change, anything else is noise.`, sections: [{ fields }] };
}

/**
 * `/flow experiment end`: ends it and answers with the numbers — the measure's limits before the
 * change and since, their points, any signal against the limits before, and which way it moved.
 */
export async function experimentEndReply(ctx: CommandContext, stream: BoundStream): Promise<Reply> {
  const ended = await endExperiment(ctx.store.db, stream.streamId, ctx.now);
  if (!ended) return errorReply('no-experiment', `${stream.name} runs no experiment to end.`, 'Start one with /flow experiment start POLICY.');
  const history = await loadFlowHistory(ctx.store, stream.streamId, stream.map);
  const since = formatShortDate(ended.startedAt, stream.map.timeZone, ctx.now);
  const { sentence, fields } = experimentNumbers(experimentComparison(ended, history, ctx.now), stream.map.timeZone, ctx.now, since);
  return {
    text: `Experiment "${ended.policy}" ended for ${stream.name} (since ${since}, measure: ${ended.measure ?? 'lead time'}). ${sentence}`,
    sections: [{ fields }, { text: 'You can start the next one now: one policy change at a time.' }],
  };
}
