/**
 * The experiment review: on an open experiment's review date, each channel of its stream gets
 * a before/after comparison of its measure (src/core/experiment-comparison.ts): the limits of
 * the phase before and of the phase since, their points, whether a signal appeared against the
 * limits before, and plainly which way it moved. Posted once per experiment and channel;
 * `/flow experiment end` answers with the same numbers.
 */
import { buildTimelines, localDate, readXmr, XMR_KINDS, xmrSeriesOf, type XmrKind, type XmrPhase } from '../core/index.ts';
import { BETTER_DIRECTION, compareExperiment, type ExperimentComparison } from '../core/experiment-comparison.ts';
import type { ReplyField } from '../reply/reply.ts';
import type { Experiment } from '../store/experiments.ts';
import { getOpenExperiment } from '../store/experiments.ts';
import type { StreamHistory } from '../store/stream-history.ts';
import { bindingTarget, createHistoryCache, listBoundStreams } from './bound-streams.ts';
import type { NudgeContext } from './nudge-context.ts';
import type { NudgeMessage } from './nudge-payload.ts';
import { targetKey } from './nudge-target.ts';
import { postNudge } from './post-nudge.ts';
import { wholeHistoryWindow } from './signal-series.ts';
import { formatShortDate, formatValue, SIGNAL_SERIES_WORDS } from './signal-words.ts';
import { XMR_RULE_WORDS } from '../charts/xmr-wording.ts';

const limits = (p: XmrPhase, unit: string, points: number): string =>
  `average ${formatValue(p.center)} ${unit}, limits ${formatValue(Math.max(0, p.lnpl))}–${formatValue(p.unpl)} (${points} points)`;

/** The measure an experiment is read on: its measure when it names an XmR series, else lead time. */
export function experimentSeries(experiment: Pick<Experiment, 'measure'>): XmrKind {
  const measure = (experiment.measure ?? '').trim().toLowerCase().replace(/[\s-]/g, '');
  return (XMR_KINDS as readonly string[]).includes(measure) ? (measure as XmrKind) : 'leadtime';
}

/** The experiment's measure read over the whole history at `now`, before against since (the one XmR reading). */
export function experimentComparison(experiment: Pick<Experiment, 'measure' | 'startedAt'>, stream: Pick<StreamHistory, 'items' | 'map' | 'events'>, now: number): ExperimentComparison {
  const kind = experimentSeries(experiment);
  const flow = stream.items.filter((item) => !item.isEpic);
  const reading = readXmr(kind, xmrSeriesOf(kind, buildTimelines(flow, stream.map), stream.map, wholeHistoryWindow(flow, now)), stream.events);
  return compareExperiment(reading, experiment.startedAt, now, stream.map.timeZone);
}

const VERDICT_WORDS: Record<ExperimentComparison['verdict'], string> = {
  'right-way': 'It moved the right way',
  'wrong-way': 'It moved the wrong way',
  mixed: 'It moved both ways',
  noise: 'Not beyond noise yet',
  'no-baseline': 'Nothing to compare with yet',
};

/**
 * The before/after numbers of an experiment in words: the sentence (verdict first) and the fields
 * (limits before and since with their points, the signals since against the limits before).
 */
export function experimentNumbers(c: ExperimentComparison, timeZone: string, now: number, since: string): { sentence: string; fields: ReplyField[] } {
  const words = SIGNAL_SERIES_WORDS[c.kind];
  const better = BETTER_DIRECTION[c.kind];
  const what = words.what.toLowerCase();
  // the signals by side, the side the measure moved to first: "below: Run of 8 on one side, Beyond the limits (40 points)"
  const sideWords = (side: 'above' | 'below'): string | null => {
    const on = c.signals.filter((x) => x.side === side);
    if (on.length === 0) return null;
    const points = new Set(on.flatMap((x) => x.points)).size;
    return `${side}: ${[...new Set(on.map((x) => XMR_RULE_WORDS[x.rule]))].join(', ')} (${points} point${points === 1 ? '' : 's'})`;
  };
  const first = (better === 'lower') === (c.verdict !== 'wrong-way') ? 'below' : 'above';
  const rules = [sideWords(first), sideWords(first === 'below' ? 'above' : 'below')].filter((x) => x !== null).join('; ');
  const more =
    c.needed === 0
      ? ''
      : ` The phase since has ${c.since.points} point${c.since.points === 1 ? '' : 's'}: ${c.needed} more ${c.needed === 1 ? words.point : words.points} are needed for limits of its own, ${
          c.likelyBy === null ? 'with no date to expect them (nothing finished in the last 4 weeks)' : `likely by ${formatShortDate(c.likelyBy, timeZone, now)}`
        }.`;
  let sentence: string;
  const b = c.before.limits;
  if (b === null) {
    sentence = `${VERDICT_WORDS['no-baseline']}: the phase before the change has ${c.before.points} point${c.before.points === 1 ? '' : 's'} of ${what}, under the 6 that limits need.${more}`;
  } else {
    const mean = c.kind === 'leadtime' || c.kind === 'cycletime' ? ' (geometric means)' : '';
    const averages =
      c.since.average !== null && c.before.average !== null
        ? ` ${words.what} averages ${formatValue(c.since.average)} ${words.unit} over the ${c.since.points} points since, against ${formatValue(c.before.average)} over the ${c.before.points} before${mean}.`
        : '';
    const lowerIsBetter = better === 'lower';
    if (c.verdict === 'noise') {
      sentence = `${VERDICT_WORDS.noise}: the ${c.since.points} point${c.since.points === 1 ? '' : 's'} since the change stay within the limits of before (routine variation).${averages}${more} Keep it running, drop it, or change one thing more.`;
    } else {
      const goodWay = lowerIsBetter ? 'lower' : 'higher';
      const badWay = lowerIsBetter ? 'higher' : 'lower';
      const direction =
        c.verdict === 'mixed'
          ? 'signals on both sides of the limits before, as many points each'
          : `${what} ${c.verdict === 'right-way' ? goodWay : badWay} than routine variation before the change allows (${goodWay} is better)`;
      const advice = c.verdict === 'right-way' ? ' Keep the policy.' : c.verdict === 'wrong-way' ? ' Drop the policy or change it.' : ' Look at what else changed.';
      sentence = `${VERDICT_WORDS[c.verdict]}: ${direction} — ${rules}.${averages}${more}${advice}`;
    }
  }
  const fields: ReplyField[] = [
    { label: `Before (${words.what})`, value: b ? limits(b, words.unit, c.before.points) : `${c.before.points} points: too few for limits (6 needed)` },
    {
      label: `Since ${since}`,
      value: c.since.limits ? limits(c.since.limits, words.unit, c.since.points) : `${c.since.points} points: ${c.needed} more needed for limits${c.likelyBy === null ? '' : ` (likely by ${formatShortDate(c.likelyBy, timeZone, now)})`}`,
    },
    { label: 'Signal since the change', value: c.signals.length > 0 ? `${rules}, against the limits before` : b ? 'none: within the limits of before (routine variation)' : 'none can be read without limits before' },
  ];
  return { sentence, fields };
}

/** The before/after review of an experiment at `now`. */
export function experimentReviewMessage(experiment: Experiment, stream: StreamHistory, now: number): NudgeMessage {
  const since = formatShortDate(experiment.startedAt, stream.map.timeZone, now);
  const { sentence, fields } = experimentNumbers(experimentComparison(experiment, stream, now), stream.map.timeZone, now, since);
  return {
    text: `Review of the experiment "${experiment.policy}" in ${stream.name} (since ${since}, measure: ${experiment.measure ?? 'lead time'}). ${sentence}`,
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
