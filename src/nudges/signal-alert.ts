/**
 * The XmR signal alert: after new transitions (and in the daily sweep) each bound channel hears
 * once about each new signal of lead time, weekly throughput and end-of-week WIP.
 *
 * - A signal's identity: stream + series + phase (its event) + side + rule + first point.
 *   Recorded per channel in nudge_sent; the same signal never posts twice.
 * - Noise never posts: every rule is found (chart, weekly check-in), but only a run of 8 on
 *   one side of the centre posts (SIGNAL_POST_RULES), and only in phases whose limits rest on
 *   enough points (ALERT_MIN_PHASE_POINTS), so they no longer move with every new point. Lead
 *   time is read on the log scale (geometricXmr in signal-series.ts).
 * - A channel's first check posts at most the most recent postable signal, if its last point is
 *   within 14 days; history is recorded as seen. Later, a signal whose last point is older than
 *   14 days (a backfill) is recorded, not posted.
 * - One alert per episode: a run that grows from 8 to 12 points keeps its identity (its first
 *   point); a new signal overlapping the points of one already known on the same side of the
 *   same series and phase is the same episode, and so is one after it when the points between
 *   stayed mostly on that side (the process never came back to its centre: the demo's lead time
 *   after its policy change is one episode, not one alert per run). And after an alert, further signals on that
 *   side of that series and phase are recorded, not posted, while they keep coming (each
 *   starting within SIGNAL_QUIET_DAYS of the last point of the one before; for a slowdown —
 *   lead time above — SIGNAL_SLOWDOWN_QUIET_DAYS). Logging an event
 *   starts a new phase, and with it fresh alerts.
 *
 * Figures (scripts/simulate-nudges.ts, 1,000 streams): see the script's header.
 */
import type { ChannelBinding } from '../store/channel-bindings.ts';
import { flowTimelines, type StreamHistory } from '../store/stream-history.ts';
import { listNudgesSent, recordNudgeSent, recordNudgesSent, touchNudgesSent, wasNudgeSent } from '../store/nudges-sent.ts';
import { bindingTarget, listBoundStreams, createHistoryCache } from './bound-streams.ts';
import type { NudgeContext } from './nudge-context.ts';
import type { NudgeChartFrame } from './nudge-charts.ts';
import { targetKey } from './nudge-target.ts';
import type { NudgeMessage } from './nudge-payload.ts';
import { inNudgeTransaction, postNudge } from './post-nudge.ts';
import { watchedSeries, type SignalSeriesKind } from './signal-series.ts';
import { alertableSignals, decideSignals, SIGNAL_QUIET_DAYS, type FoundSignal } from './signal-decisions.ts';
import { scaleLine, signalPointsLine, signalSentence, SIGNAL_QUESTION, SIGNAL_SERIES_WORDS } from './signal-words.ts';
import { defaultXmrScale } from '../core/xmr-reading.ts';
import type { ReplyChart } from '../reply/reply.ts';

export {
  alertableSignals,
  decideSignals,
  EPISODE_RETURN_POINTS,
  SIGNAL_POST_RULES,
  SIGNAL_QUIET_DAYS,
  SIGNAL_RECENT_DAYS,
  SIGNAL_SLOWDOWN_QUIET_DAYS,
  type FoundSignal,
  type SignalDecision,
  type SignalMemory,
} from './signal-decisions.ts';

export interface SignalPost {
  channel: string;
  series: SignalSeriesKind;
  identity: string;
  text: string;
}

/**
 * Decides which signals a channel hears now, renders each alert, then records the signals and
 * enqueues one alert per series in one transaction: a crash before the commit leaves nothing
 * recorded (the next check decides again), after it the outbox delivers.
 */
async function alertChannel(
  ctx: NudgeContext,
  stream: StreamHistory,
  binding: ChannelBinding,
  signals: readonly FoundSignal[],
  chartFor: (series: SignalSeriesKind, summary: string) => Promise<ReplyChart | undefined>,
  now: number,
): Promise<SignalPost[]> {
  const db = ctx.store.db;
  const target = bindingTarget(binding);
  const prefix = `signal:${targetKey(target)}:${stream.id}:`;
  const keyOf = (s: FoundSignal) => `${prefix}${s.identity}`;
  const baselineKey = `signal-baseline:${targetKey(target)}:${stream.id}`;
  const first = !(await wasNudgeSent(db, baselineKey));
  const known = first ? [] : (await listNudgesSent(db, prefix)).map((k) => ({ identity: k.dedupKey.slice(prefix.length), kind: k.kind, sentAt: k.sentAt }));
  const decision = decideSignals(signals, { first, known }, now, ctx.signalQuietDays ?? SIGNAL_QUIET_DAYS);

  const alerts: { post: SignalPost; headline: FoundSignal; others: FoundSignal[]; message: NudgeMessage }[] = [];
  for (const { series, headline, others } of decision.posts) {
    const sentence = signalSentence(headline.facts);
    const text = `${sentence}\n${signalPointsLine(headline.facts)}\n${SIGNAL_QUESTION}`;
    const sections = [];
    if (others.length > 0) sections.push({ title: 'Also new', text: others.map((o) => signalSentence(o.facts)).join('\n') });
    if (series === 'wip') sections.push({ text: 'WIP is read once a week, at the end of each week: daily WIP follows itself too closely for the run rules, and would alert on noise.' });
    const scale = scaleLine(series, defaultXmrScale(series));
    sections.push({ text: `Stream ${stream.name} · ${SIGNAL_SERIES_WORDS[series].what} XmR chart · limits from the first ${headline.facts.phase.baselineCount} points of the phase.${scale ? ` ${scale}` : ''}` });
    const chart = await chartFor(series, sentence);
    const message: NudgeMessage = { text, sections, ...(chart && { chart }), buttons: [{ id: 'open-event-form', label: 'Log what changed', opens: 'event-form' }] };
    alerts.push({ post: { channel: targetKey(target), series, identity: headline.identity, text }, headline, others, message });
  }

  return inNudgeTransaction(ctx, async (tx) => {
    const txDb = tx.store.db;
    await recordNudgeSent(txDb, 'signal-baseline', baselineKey, now);
    // what this channel still relies on: its baseline and the signals still on the chart (retention keeps them)
    const onChart = new Set(signals.map((s) => s.identity));
    await touchNudgesSent(txDb, [baselineKey, ...known.filter((k) => onChart.has(k.identity)).map((k) => `${prefix}${k.identity}`)], now);
    await recordNudgesSent(txDb, 'signal-seen', decision.seen.map(keyOf), now);
    const posts: SignalPost[] = [];
    for (const { post, headline, others, message } of alerts) {
      if (!(await recordNudgeSent(txDb, 'signal', keyOf(headline), now))) continue; // another replica posted it
      await recordNudgesSent(txDb, 'signal', others.map(keyOf), now);
      await postNudge(tx, { kind: 'signal', target, dedupKey: keyOf(headline), message }, now);
      posts.push(post);
    }
    return posts;
  });
}

/**
 * Checks one stream's signals for each of its bound channels and enqueues the new alerts.
 * @example await checkStreamSignals(ctx, history, bindings, now) // [{ channel: 'slack:C1', series: 'leadtime', … }]
 */
export async function checkStreamSignals(
  ctx: NudgeContext,
  stream: StreamHistory,
  bindings: readonly ChannelBinding[],
  now: number,
): Promise<SignalPost[]> {
  if (bindings.length === 0) return [];
  const watched = watchedSeries(flowTimelines(stream), stream.map, stream.events, now);
  const signals = alertableSignals(watched, stream.map.timeZone, now);
  const charts = new Map<SignalSeriesKind, Promise<ReplyChart | undefined>>();
  const chartFor = (series: SignalSeriesKind, summary: string): Promise<ReplyChart | undefined> => {
    if (!ctx.charts) return Promise.resolve(undefined);
    let chart = charts.get(series);
    if (!chart) {
      const w = watched.find((x) => x.kind === series)!;
      const frame: NudgeChartFrame = { stream: stream.name, timeZone: stream.map.timeZone, from: w.series.ats[0] ?? now, to: now + 1, periodLabel: 'whole history' };
      chart = ctx.charts.xmr({ result: w.result, series, summary }, frame);
      charts.set(series, chart);
    }
    return chart;
  };
  const posts: SignalPost[] = [];
  for (const binding of bindings) posts.push(...(await alertChannel(ctx, stream, binding, signals, chartFor, now)));
  return posts;
}

/**
 * The signal check of every bound stream (the daily sweep), or of one stream (after its
 * transitions arrived). Each stream is checked on its own: one failing stream is reported,
 * the others still run.
 */
export async function checkSignals(
  ctx: NudgeContext,
  now: number,
  options: { streamName?: string } = {},
): Promise<{ stream: string; posts: SignalPost[]; error?: string }[]> {
  // the watched series read only start, completion and time in progress: compact histories serve
  const load = createHistoryCache(ctx.store, 2, { compact: true });
  const results: { stream: string; posts: SignalPost[]; error?: string }[] = [];
  for (const bound of await listBoundStreams(ctx.store, options)) {
    try {
      const history = await load(bound.name);
      if (!history) continue;
      results.push({ stream: bound.name, posts: await checkStreamSignals(ctx, history, bound.bindings, now) });
    } catch (error) {
      ctx.log?.warn(`flow-nudge signals: checking ${bound.name} failed: ${(error as Error).message}`);
      results.push({ stream: bound.name, posts: [], error: (error as Error).message });
    }
  }
  return results;
}
