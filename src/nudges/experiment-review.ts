/**
 * The experiment review: on an open experiment's review date, each channel of its stream gets
 * a before/after comparison of its measure: the limits of the phase before and after the
 * change, and whether a signal appeared since. Posted once per experiment and channel.
 */
import { localDate, type XmrPhase } from '../core/index.ts';
import type { Experiment } from '../store/experiments.ts';
import { getOpenExperiment } from '../store/experiments.ts';
import type { StreamHistory } from '../store/stream-history.ts';
import { bindingTarget, createHistoryCache, listBoundStreams } from './bound-streams.ts';
import type { NudgeContext } from './nudge-context.ts';
import type { NudgeMessage } from './nudge-payload.ts';
import { targetKey } from './nudge-target.ts';
import { postNudge } from './post-nudge.ts';
import { watchedSeries, type SignalSeriesKind } from './signal-series.ts';
import { formatShortDate, formatValue, SIGNAL_SERIES_WORDS } from './signal-words.ts';
import { XMR_RULE_WORDS } from '../charts/xmr-wording.ts';

const limits = (p: XmrPhase, unit: string): string =>
  `average ${formatValue(p.center)} ${unit}, limits ${formatValue(Math.max(0, p.lnpl))}–${formatValue(p.unpl)} (${p.endIndex - p.startIndex + 1} points)`;

/** The measure an experiment is read on: its measure when it names a watched series, else lead time. */
export function experimentSeries(experiment: Pick<Experiment, 'measure'>): SignalSeriesKind {
  return experiment.measure === 'throughput' || experiment.measure === 'wip' ? experiment.measure : 'leadtime';
}

/** The before/after review of an experiment at `now`. */
export function experimentReviewMessage(experiment: Experiment, stream: StreamHistory, now: number): NudgeMessage {
  const kind = experimentSeries(experiment);
  const words = SIGNAL_SERIES_WORDS[kind];
  const w = watchedSeries(stream.items, stream.map, stream.events, now).find((x) => x.kind === kind)!;
  const phases = w.result.phases;
  const afterPhase = [...phases].reverse().find((p) => (w.series.ats[p.startIndex] ?? -Infinity) >= experiment.startedAt) ?? null;
  const beforePhase = afterPhase ? (phases.filter((p) => p.index < afterPhase.index).at(-1) ?? null) : (phases.at(-1) ?? null);
  const since = formatShortDate(experiment.startedAt, stream.map.timeZone, now);
  const signals = afterPhase ? w.result.signals.filter((s) => s.phase === afterPhase.index) : [];
  const fields = [
    { label: `Before (${words.what})`, value: beforePhase ? limits(beforePhase, words.unit) : 'too few points before the change' },
    { label: `Since ${since}`, value: afterPhase ? limits(afterPhase, words.unit) : 'fewer than 6 points since the change: no limits yet' },
    {
      label: 'Signal since the change',
      value: signals.length > 0 ? [...new Set(signals.map((s) => `${XMR_RULE_WORDS[s.rule]} (${s.side})`))].join(', ') : 'none: the difference is within routine variation',
    },
  ];
  let verdict = 'Too early to tell: keep the policy running, or extend the review date.';
  if (afterPhase && beforePhase) {
    const lower = afterPhase.center < beforePhase.center;
    verdict = signals.length > 0
      ? `The process changed: ${words.what.toLowerCase()} averages ${formatValue(afterPhase.center)} ${words.unit} now against ${formatValue(beforePhase.center)} before. Keep the policy if that is the way you wanted it to move.`
      : `No signal: ${lower ? 'a lower' : 'a higher'} average (${formatValue(afterPhase.center)} vs ${formatValue(beforePhase.center)} ${words.unit}) that routine variation can explain. Keep it, drop it, or change one thing more.`;
  }
  return {
    text: `Review of the experiment "${experiment.policy}" in ${stream.name} (since ${since}, measure: ${experiment.measure ?? 'lead time'}). ${verdict}`,
    sections: [{ fields }, { text: 'End it with /flow experiment end, then start the next one: one policy change at a time.' }],
  };
}

/** Posts the review of every open experiment whose review date (in the stream's zone) has come. */
export async function runExperimentReviews(
  ctx: NudgeContext,
  now: number,
  options: { streamName?: string } = {},
): Promise<{ stream: string; experiment: number; channels: string[] }[]> {
  const load = createHistoryCache(ctx.store);
  const out: { stream: string; experiment: number; channels: string[] }[] = [];
  for (const bound of await listBoundStreams(ctx.store, options)) {
    const experiment = await getOpenExperiment(ctx.store.db, bound.streamId);
    if (!experiment?.reviewOn || experiment.reviewOn > localDate(now, bound.map.timeZone)) continue;
    const history = await load(bound.name);
    if (!history) continue;
    const message = experimentReviewMessage(experiment, history, now);
    const channels: string[] = [];
    for (const binding of bound.bindings) {
      const target = bindingTarget(binding);
      if (await postNudge(ctx, { kind: 'experiment-review', target, dedupKey: `experiment-review:${experiment.id}:${targetKey(target)}`, message }, now)) channels.push(targetKey(target));
    }
    out.push({ stream: bound.name, experiment: experiment.id, channels });
  }
  return out;
}
