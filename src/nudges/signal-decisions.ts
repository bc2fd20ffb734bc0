/**
 * The pure decisions of the signal alert: which signals of the watched series count, and which
 * a channel hears now (one alert per episode, the quiet while the news keeps coming). Shared
 * with the simulation (scripts/simulate-nudges.ts); the alert itself is in signal-alert.ts.
 */
import type { XmrRule, XmrSignal } from '../core/types.ts';
import { ALERT_MIN_PHASE_POINTS, type SignalSeriesKind, type WatchedSeries } from './signal-series.ts';
import type { SignalFacts } from './signal-words.ts';

const DAY = 86_400_000;
/** A signal whose last point is older than this is history: recorded, never posted. */
export const SIGNAL_RECENT_DAYS = 14;
/**
 * After an alert, further signals on the same side of the same series and phase are the same
 * news: they are recorded (and listed in the weekly check-in), not posted, while they keep coming:
 * each starts within this many days of the last point of the alert or of a signal on that side
 * after it (any rule). Logging an event starts a new phase and ends the quiet.
 */
export const SIGNAL_QUIET_DAYS = 7;
/**
 * A slowdown (lead time above its centre) is news a team acts on: after a slowdown alert, a new
 * run above is quiet only if it starts within this many days of the last (not SIGNAL_QUIET_DAYS).
 * The simulation's 1.5-sigma shifts are detected more often this way (93% against 90%) for a few
 * more alerts on stable streams (0.92 against 0.88 a quarter).
 */
export const SIGNAL_SLOWDOWN_QUIET_DAYS = 3;

/**
 * The rules whose signals post an alert. Rules 1 (a point beyond a limit) and 3 (3 of 4 near a
 * limit) are still found, marked on the chart and listed in the weekly check-in, but do not post
 * on their own: with limits from 20 points they fire on stable streams several times a quarter
 * (scripts/simulate-nudges.ts), and a single slow item is the aging alert's news, told while it
 * is still open. A run of 8 is what a sustained shift looks like.
 */
export const SIGNAL_POST_RULES: readonly XmrRule[] = ['run-of-8'];

/**
 * A shift is over (and a later signal on the same side is news again) once the process came back:
 * at least this many points since the last signal on that side, fewer than two in three of them
 * on that side of the centre. A stray point or two on the other side do not end an episode. (Two
 * in three, not half: limits from a stream's first 20 points sit a little low, so a stable
 * stream's points lie above the centre a little more often than not; with half, the simulation
 * took a real slowdown for the end of an old false alarm and detected 62% of its shifts.) A
 * slowdown (lead time above) is not continued this way: see SIGNAL_SLOWDOWN_QUIET_DAYS.
 */
export const EPISODE_RETURN_POINTS = 4;

/** One signal of one series, with its identity and words. */
export interface FoundSignal {
  series: SignalSeriesKind;
  signal: XmrSignal;
  /** `<series>:<phase>:<side>:<rule>:<first point label>` */
  identity: string;
  /** `<series>:<phase>:<side>:` — the quiet period is per this prefix */
  sideKey: string;
  lastAt: number;
  facts: SignalFacts;
  /** which side of its phase's centre a point of the series lies on: 1 above, -1 below, 0 on it */
  sideOf: (index: number) => 1 | -1 | 0;
}

/** Every alertable signal of the watched series (phases with settled limits only), oldest first. */
export function alertableSignals(watched: readonly WatchedSeries[], timeZone: string, now: number): FoundSignal[] {
  const found: FoundSignal[] = [];
  for (const w of watched) {
    for (const signal of w.result.signals) {
      const phase = w.result.phases.find((p) => p.index === signal.phase);
      if (!phase || phase.endIndex - phase.startIndex + 1 < ALERT_MIN_PHASE_POINTS[w.kind]) continue;
      const phaseKey = phase.event ? `e${phase.event.at}` : 'p0';
      const labels = signal.points.map((i) => w.series.labels[i] ?? String(i));
      const ats = signal.points.map((i) => w.series.ats[i]!);
      const sideKey = `${w.kind}:${phaseKey}:${signal.side}:`;
      const sideOf = (index: number): 1 | -1 | 0 => {
        const v = w.series.values[index]!;
        return v > phase.center ? 1 : v < phase.center ? -1 : 0;
      };
      found.push({
        sideOf,
        series: w.kind,
        signal,
        identity: `${sideKey}${signal.rule}:${labels[0]}`,
        sideKey,
        lastAt: ats[ats.length - 1]!,
        facts: {
          series: w.kind,
          signal,
          phase,
          values: signal.points.map((i) => w.series.values[i]!),
          labels,
          ats,
          phaseFirstAt: w.series.ats[phase.startIndex]!,
          timeZone,
          now,
        },
      });
    }
  }
  return found.sort((a, b) => a.lastAt - b.lastAt);
}


/** What a channel has been told (or decided not to hear) of a stream's signals. */
export interface SignalMemory {
  /** true on the channel's first check of this stream */
  first: boolean;
  known: { identity: string; kind: string; sentAt: number }[];
}

export interface SignalDecision {
  /** record as seen, never post */
  seen: FoundSignal[];
  /** one alert per series: the headline (latest) and the other new signals it mentions */
  posts: { series: SignalSeriesKind; headline: FoundSignal; others: FoundSignal[] }[];
}

/**
 * Which signals a channel hears now (pure: the simulation runs the same decisions in memory).
 * @example decideSignals(alertableSignals(watched, zone, now), { first: false, known }, now).posts
 */
export function decideSignals(
  signals: readonly FoundSignal[],
  memory: SignalMemory,
  now: number,
  quietDays: number = SIGNAL_QUIET_DAYS,
  postRules: readonly XmrRule[] = SIGNAL_POST_RULES,
): SignalDecision {
  const recent = now - SIGNAL_RECENT_DAYS * DAY;
  const postable = (s: FoundSignal): boolean => postRules.includes(s.signal.rule);
  let fresh: FoundSignal[];
  const seen: FoundSignal[] = [];
  if (memory.first) {
    const candidates = signals.filter(postable);
    const last = candidates[candidates.length - 1];
    const latest = last && last.lastAt >= recent ? last : null;
    seen.push(...signals.filter((s) => s !== latest));
    fresh = latest ? [latest] : [];
  } else {
    const known = new Set(memory.known.map((k) => k.identity));
    const posted = new Set(memory.known.filter((k) => k.kind === 'signal').map((k) => k.identity));
    // per series/phase/side: until when the news of a posted alert runs — its last point, and on
    // through every signal on that side (any rule) that starts within quietDays of the previous
    // (SIGNAL_SLOWDOWN_QUIET_DAYS for lead time above)
    const gap = quietDays * DAY;
    const newsUntil = new Map<string, number>();
    const slowdownGap = Math.min(quietDays, SIGNAL_SLOWDOWN_QUIET_DAYS) * DAY;
    const inNews = (s: FoundSignal): boolean => s.facts.ats[0]! <= (newsUntil.get(s.sideKey) ?? -Infinity) + (s.series === 'leadtime' && s.signal.side === 'above' ? slowdownGap : gap);
    // and the last point of that news (an alert, or a signal quiet because of it), by index
    const newsLastPoint = new Map<string, number>();
    const extend = (s: FoundSignal): void => {
      newsUntil.set(s.sideKey, Math.max(newsUntil.get(s.sideKey) ?? -Infinity, s.lastAt));
      newsLastPoint.set(s.sideKey, Math.max(newsLastPoint.get(s.sideKey) ?? -1, s.signal.points.at(-1)!));
    };
    // one alert per episode: the point ranges of postable signals already known, per series/phase/side
    const told = new Map<string, [number, number][]>();
    const span = (s: FoundSignal): [number, number] => [s.signal.points[0]!, s.signal.points[s.signal.points.length - 1]!];
    const tell = (s: FoundSignal): void => {
      told.set(s.sideKey, [...(told.get(s.sideKey) ?? []), span(s)]);
    };
    // the same episode: it overlaps a known signal on that side, or it follows the news of an
    // alert on that side and the process never came back to its centre since (back: at least
    // EPISODE_RETURN_POINTS points between, fewer than two in three of them on this side)
    const sameEpisode = (s: FoundSignal): boolean => {
      const [first, last] = span(s);
      const spans = told.get(s.sideKey) ?? [];
      if (spans.some(([a, b]) => first <= b && last >= a)) return true;
      // not for a slowdown (lead time above): its news is told again after SIGNAL_SLOWDOWN_QUIET_DAYS
      // (with the continuation, the simulation took real slowdowns for an old false alarm going on:
      // 88.5% of 1.5-sigma shifts detected on 200 streams instead of 93%)
      if (s.series === 'leadtime' && s.signal.side === 'above') return false;
      const before = newsLastPoint.get(s.sideKey) ?? -1;
      if (before < 0 || before >= first) return false;
      const side = s.signal.side === 'above' ? 1 : -1;
      let same = 0;
      for (let i = before + 1; i < first; i++) if (s.sideOf(i) === side) same++;
      const between = first - before - 1;
      return !(between >= EPISODE_RETURN_POINTS && same * 3 < between * 2);
    };
    for (const s of signals) if (known.has(s.identity) && postable(s)) tell(s);
    fresh = [];
    for (const s of [...signals].sort((x, y) => x.facts.ats[0]! - y.facts.ats[0]!)) {
      const quiet = inNews(s);
      if (posted.has(s.identity) || quiet) extend(s);
      if (known.has(s.identity)) continue;
      if (!postable(s) || s.lastAt < recent || quiet || sameEpisode(s)) seen.push(s);
      else {
        fresh.push(s);
        extend(s);
      }
      if (postable(s)) tell(s);
    }
    fresh.sort((x, y) => x.lastAt - y.lastAt);
  }
  const posts: SignalDecision['posts'] = [];
  for (const series of ['leadtime', 'throughput', 'wip'] as const) {
    const mine = fresh.filter((s) => s.series === series);
    if (mine.length > 0) posts.push({ series, headline: mine[mine.length - 1]!, others: mine.slice(0, -1) });
  }
  return { seen, posts };
}
