/**
 * The five sections of the weekly 15-minute check-in, each with its minutes (3 each). Pure:
 * plain data in, a titled section out.
 */
import { currentPhaseSignals, defaultXmrScale, queueCost, reworkLoops, stageBreakdown, toTimelines, type FlowEvent, type StreamMap, type WorkItem } from '../core/index.ts';
import { queueCostSentence } from '../charts/value-stream-map.ts';
import { timeToOutcome } from '../core/time-to-outcome.ts';
import type { ReplySection } from '../reply/reply.ts';
import type { Experiment } from '../store/experiments.ts';
import type { AgingNow } from './aging-alert.ts';
import { awaitingReview, missingAnticipated, type EpicState } from './epics.ts';
import { reworkChangeLines } from './rework-change.ts';
import type { FoundSignal } from './signal-alert.ts';
import type { WatchedSeries } from './signal-series.ts';
import { currentPhaseLines, formatShortDate, formatValue, signalSentence } from './signal-words.ts';

const DAY = 86_400_000;
export const SECTION_MINUTES = 3;
const list = (lines: string[], max: number): string =>
  lines.length <= max ? lines.join('\n') : `${lines.slice(0, max).join('\n')}\n…and ${lines.length - max} more`;

/**
 * 1. Signals since last week, then where each series stands in its current phase (the same words
 * as /flow xmr: lead time always, throughput and WIP when their current phase has a signal), and
 * whether a forecast can be trusted now (the stability verdict of /flow forecast).
 */
export function signalsSection(signals: readonly FoundSignal[], now: number, watched: readonly WatchedSeries[] = [], timeZone = 'UTC', forecast?: string): ReplySection {
  const recent = signals.filter((s) => s.lastAt >= now - 7 * DAY).reverse();
  const news = recent.length > 0
    ? `${list(recent.map((s) => signalSentence(s.facts)), 4)}\nWhat changed? Keep what helped; log it with /flow event.`
    : 'No signals in the last 7 days: lead time, throughput and WIP show only routine variation. Nothing to react to.';
  const standing = watched.flatMap((w) => {
    const result = currentPhaseSignals(w.result);
    if (w.kind !== 'leadtime' && result.signals.length === 0) return [];
    return currentPhaseLines({ series: w.kind, result, ...(w.current !== undefined && { current: w.current }), scale: defaultXmrScale(w.kind), timeZone, now });
  });
  const lines = [news, ...(standing.length > 0 ? [`Where it stands: ${standing.join('\n')}`] : []), ...(forecast ? [`Forecasts: ${forecast}`] : [])];
  return { title: `Signals since last week · ${SECTION_MINUTES} min`, text: lines.join('\n') };
}

/** 2. Aging work: items past the 85th / 95th percentile of recent cycle time. */
export function agingSection(aging: AgingNow): ReplySection {
  const old = aging.report.items.filter((i) => i.beyond !== null);
  const p = aging.report.percentiles;
  const text = old.length > 0 && p
    ? `${list(old.map((i) => `${i.key} ${i.title} — ${i.ageDays} days in ${i.stage}${i.beyond === '95' ? ' (past the 95th percentile)' : ''}`), 5)}\n85% of recent items finished within ${formatValue(p['85'])} days. What would it take to finish the oldest?`
    : `No item in progress is older than 85% of recent items took${p ? ` (${formatValue(p['85'])} days)` : ''}.`;
  return { title: `Aging work · ${SECTION_MINUTES} min`, text };
}

/**
 * Rework and the cost of delay are read over the last 90 days, the period /flow map and /flow
 * stages show by default (so the numbers are the ones the team finds there), and rework is
 * compared with the 90 days before: a week holds too few loops back to tell a change from noise.
 */
export const CHECKIN_FLOW_DAYS = 90;

/**
 * 3. The constraint over the last 30 days and its share in the 30 days before; what waiting in
 * it cost over the last 90 days (or how to set a cost of delay); rework loops that changed.
 */
export function constraintSection(items: readonly WorkItem[], map: StreamMap, now: number): ReplySection {
  const flow = toTimelines(items.filter((i) => !i.isEpic), map);
  const last = stageBreakdown(flow, map, { from: now - 30 * DAY, to: now + 1 }, now).constraint;
  const before = stageBreakdown(flow, map, { from: now - 60 * DAY, to: now - 30 * DAY }, now - 30 * DAY);
  const lines = ['Not enough flow in the last 30 days to name a constraint.'];
  if (last) {
    const earlier = before.stages.find((s) => s.stage === last.stage);
    const share = Math.round(last.waitShare * 100);
    const was = earlier && before.totalWaitMs > 0 ? Math.round(earlier.waitShare * 100) : null;
    const trend = was === null ? '' : was === share ? ` — the same share as the 30 days before.` : ` — ${share < was ? 'down' : 'up'} from ${was}% the 30 days before.`;
    lines[0] = `${last.sentence} (last 30 days)${trend || '.'}`;
    const recent = { from: now - CHECKIN_FLOW_DAYS * DAY, to: now + 1 };
    lines.push(queueCostSentence({ constraint: { stage: last.stage, cost: queueCost(flow, map, last.stage, recent, now) } }, ` in the last ${CHECKIN_FLOW_DAYS} days`)!);
  }
  const rework = reworkChangeLines(
    reworkLoops(flow, map, { from: now - CHECKIN_FLOW_DAYS * DAY, to: now + 1 }),
    reworkLoops(flow, map, { from: now - 2 * CHECKIN_FLOW_DAYS * DAY, to: now - CHECKIN_FLOW_DAYS * DAY }),
    CHECKIN_FLOW_DAYS,
  );
  if (rework.length > 0) lines.push(`Rework that changed (moves back to an earlier stage):\n${list(rework, 3)}`);
  if (last) lines.push('What is one policy that would make it wait less?');
  return { title: `The constraint and its trend · ${SECTION_MINUTES} min`, text: lines.join('\n') };
}

/** 4. The open experiment against its measure and review date. */
export function experimentSection(experiment: Experiment | null, watched: readonly WatchedSeries[], timeZone: string, now: number): ReplySection {
  const title = `The experiment · ${SECTION_MINUTES} min`;
  if (!experiment) {
    return { title, text: 'No experiment running. Pick one policy to change at the constraint and start it: /flow experiment start POLICY | measure leadtime | review YYYY-MM-DD.' };
  }
  const kind = experiment.measure === 'throughput' || experiment.measure === 'wip' ? experiment.measure : 'leadtime';
  const w = watched.find((x) => x.kind === kind);
  const phases = w?.result.phases ?? [];
  const after = [...phases].reverse().find((p) => (w!.series.ats[p.startIndex] ?? 0) >= experiment.startedAt);
  const before = after ? phases.filter((p) => p.index < after.index).at(-1) : phases.at(-1);
  const measure = experiment.measure ?? 'leadtime (none given)';
  const review = experiment.reviewOn ? `review on ${experiment.reviewOn}` : 'no review date set';
  const reading = after && before
    ? `${measure}: average ${formatValue(after.center)} since it started, ${formatValue(before.center)} before.`
    : `${measure}: too few points since it started to compare (a phase needs 6).`;
  return { title, text: `"${experiment.policy}" since ${formatShortDate(experiment.startedAt, timeZone, now)}, ${review}. ${reading}` };
}

/**
 * 5. Events logged this week, epics missing an anticipated outcome (with the FFR), time to outcome
 * with the reviews of the week (anticipated beside actual), closed epics not yet learned.
 */
export function eventsAndOutcomesSection(
  events: readonly FlowEvent[],
  epics: readonly EpicState[],
  awaitingAnswer: ReadonlySet<string>,
  timeZone: string,
  now: number,
): ReplySection {
  const lines: string[] = [];
  const logged = events.filter((e) => e.at >= now - 7 * DAY && e.at <= now);
  lines.push(logged.length > 0 ? `Logged this week: ${logged.map((e) => `${e.text} (${formatShortDate(e.at, timeZone, now)})`).join('; ')}.` : 'No events logged this week.');
  // Only open epics still without an anticipated outcome await that answer: an answered or
  // closed epic is counted and not listed as awaiting (a closed one awaits its review below).
  const stillAwaiting = new Set(epics.filter((e) => awaitingAnswer.has(e.key) && e.closedAt === null && missingAnticipated(e)).map((e) => e.key));
  const counted = epics.filter((e) => !stillAwaiting.has(e.key));
  // Feature Factory Ratio as the core defines it (epics without an anticipated outcome ÷ all
  // epics), leaving out epics whose owner was asked and has not had the reminder yet.
  const missing = counted.filter(missingAnticipated);
  if (counted.length > 0) {
    const ratio = Math.round((missing.length / counted.length) * 100);
    lines.push(`Feature Factory Ratio ${ratio}%: ${missing.length} of ${counted.length} epics have no anticipated outcome${missing.length > 0 ? ` — ${list(missing.map((e) => `${e.key} ${e.title}`), 5).replace(/\n/g, '; ')}` : ''}.`);
  } else {
    lines.push('No epics yet, so no Feature Factory Ratio.');
  }
  if (stillAwaiting.size > 0) lines.push(`Asked, awaiting an answer (not counted yet): ${[...stillAwaiting].join(', ')}.`);
  const answered = epics.filter((e) => e.closedAt === null && !missingAnticipated(e)).slice(-3);
  if (answered.length > 0) {
    lines.push(`Anticipated: ${answered.map((e) => `${e.key} "${(e.anticipatedOutcome ?? '').split('\n')[0]}"${e.keyResult ? ` (key result: ${e.keyResult})` : ''}`).join('; ')}.`);
  }
  const outcomes = timeToOutcome(epics, timeZone, now);
  const p = outcomes.percentiles;
  if (p !== null) lines.push(`Time to outcome: half of the reviewed epics were learned within ${p['50']} days of their creation (85%: ${p['85']} days; ${outcomes.learned.length} reviewed; /flow outcomes).`);
  const learnedThisWeek = outcomes.learned.filter((e) => e.learnedAt >= now - 7 * DAY && e.learnedAt <= now);
  for (const e of learnedThisWeek.slice(-3)) {
    lines.push(`Learned: ${e.key} ${e.title} in ${e.days} days — anticipated "${e.anticipated?.split('\n')[0] ?? 'none recorded'}", actual "${e.actual.split('\n')[0]}".`);
  }
  const review = epics.filter(awaitingReview);
  lines.push(review.length > 0 ? `Not yet learned (closed, awaiting an outcome review): ${list(review.map((e) => `${e.key} ${e.title}`), 5).replace(/\n/g, '; ')}. Anticipated vs actual: what did we learn?` : 'No closed epic awaits an outcome review.');
  return { title: `Events and outcomes · ${SECTION_MINUTES} min`, text: lines.join('\n') };
}
