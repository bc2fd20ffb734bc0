/**
 * Plain words for an XmR signal: one sentence builder per rule, plus the phase it is read
 * against ("since the policy change 'WIP limit 3' on 2 Nov"). Pure; dates in the stream's zone.
 */
import { dayMonth, localDate } from '../core/local-date.ts';
import type { FlowEvent, XmrPhase, XmrRule, XmrSignal } from '../core/types.ts';
import type { SignalSeriesKind } from './signal-series.ts';

interface SeriesWords {
  what: string;
  point: string;
  points: string;
  unit: string;
}

export const SIGNAL_SERIES_WORDS: Record<SignalSeriesKind, SeriesWords> = {
  leadtime: { what: 'Lead time', point: 'finished item', points: 'finished items', unit: 'days' },
  throughput: { what: 'Weekly throughput', point: 'week', points: 'weeks', unit: 'items' },
  wip: { what: 'Work in progress (end of week)', point: 'week', points: 'weeks', unit: 'items' },
};

/** What the sentence builders need to know about one signal. */
export interface SignalFacts {
  series: SignalSeriesKind;
  signal: XmrSignal;
  phase: XmrPhase;
  /** the values, labels and times of the signal's points, in order */
  values: number[];
  labels: string[];
  ats: number[];
  /** when the phase's first point is (for a phase no event opened) */
  phaseFirstAt: number;
  timeZone: string;
  now: number;
}

/** 6.2 → "6.2", 6 → "6", 12.04 → "12". */
export function formatValue(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  return Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(1);
}

/** "2 Nov", or "2 Nov 2025" when not in the year of `now`. */
export function formatShortDate(at: number, timeZone: string, now: number): string {
  const date = localDate(at, timeZone);
  return dayMonth(date, date.slice(0, 4) !== localDate(now, timeZone).slice(0, 4));
}

/** "since the policy change 'WIP limit 3' on 2 Nov" / "since the experiment '…'" / "since 3 Oct (no change logged)". */
export function phaseWords(event: FlowEvent | null, phaseFirstAt: number, timeZone: string, now: number): string {
  if (event === null) return `since ${formatShortDate(phaseFirstAt, timeZone, now)} (no change logged since)`;
  const date = formatShortDate(event.at, timeZone, now);
  const text = event.text.replace(/^Experiment started: /, '');
  if (event.kind === 'policy') return `since the policy change '${text}' on ${date}`;
  if (event.kind === 'experiment') return `since the experiment '${text}' started on ${date}`;
  return `since the event '${text}' on ${date}`;
}

/** "the average of 6.2 days", for lead time "the average of 6.2 days (geometric mean)": it is read on the log scale. */
function averageWords(facts: SignalFacts): string {
  const w = SIGNAL_SERIES_WORDS[facts.series];
  return `the average of ${formatValue(facts.phase.center)} ${w.unit}${facts.series === 'leadtime' ? ' (geometric mean)' : ''}`;
}

const count = (n: number, words: SeriesWords): string => `${n} ${n === 1 ? words.point : words.points}`;

/** Rule 2: "Lead time: 8 finished items in a row above the average of 6.2 days (geometric mean) since …." */
export function runOfEightSentence(facts: SignalFacts): string {
  const w = SIGNAL_SERIES_WORDS[facts.series];
  const phase = phaseWords(facts.phase.event, facts.phaseFirstAt, facts.timeZone, facts.now);
  return `${w.what}: ${count(facts.signal.points.length, w)} in a row ${facts.signal.side} ${averageWords(facts)} ${phase}.`;
}

/** Rule 1: "Lead time: DEMO-407 took 36 days, above the upper limit of 33.3 days since …." */
export function beyondLimitsSentence(facts: SignalFacts): string {
  const w = SIGNAL_SERIES_WORDS[facts.series];
  const phase = phaseWords(facts.phase.event, facts.phaseFirstAt, facts.timeZone, facts.now);
  const limit = facts.signal.side === 'above' ? `above the upper limit of ${formatValue(facts.phase.unpl)}` : `below the lower limit of ${formatValue(facts.phase.lnpl)}`;
  const value = formatValue(facts.values[0]!);
  const label = facts.labels[0] ?? '';
  const point =
    facts.series === 'leadtime'
      ? `${label} took ${value} days`
      : facts.series === 'throughput'
        ? `${value} items finished in week ${label}`
        : `${value} items in progress at the end of week ${label}`;
  return `${w.what}: ${point}, ${limit} ${w.unit} ${phase}.`;
}

/** Rule 3: "Lead time: 3 of 4 finished items in a row nearer the upper limit (33.3 days) than the average of 17.5 days (geometric mean) since …." */
export function threeOfFourSentence(facts: SignalFacts): string {
  const w = SIGNAL_SERIES_WORDS[facts.series];
  const phase = phaseWords(facts.phase.event, facts.phaseFirstAt, facts.timeZone, facts.now);
  const near = facts.signal.points.length;
  const limit = facts.signal.side === 'above' ? `the upper limit (${formatValue(facts.phase.unpl)} ${w.unit})` : `the lower limit (${formatValue(Math.max(0, facts.phase.lnpl))} ${w.unit})`;
  const of = near <= 3 ? `3 of 4 ${w.points}` : `${near} ${w.points}, at least 3 of every 4 in a row,`;
  return `${w.what}: ${of} nearer ${limit} than ${averageWords(facts)} ${phase}.`;
}

const BUILDERS: Record<XmrRule, (facts: SignalFacts) => string> = {
  'beyond-limits': beyondLimitsSentence,
  'run-of-8': runOfEightSentence,
  '3-of-4': threeOfFourSentence,
};

/** The rule's sentence for a signal. */
export function signalSentence(facts: SignalFacts): string {
  return BUILDERS[facts.signal.rule](facts);
}

/** "Points: DEMO-442, DEMO-443 … DEMO-453 (1 Sep – 9 Sep)." */
export function signalPointsLine(facts: SignalFacts): string {
  const labels = facts.labels;
  const shown = labels.length <= 8 ? labels.join(', ') : `${labels.slice(0, 4).join(', ')} … ${labels.slice(-2).join(', ')}`;
  const first = formatShortDate(facts.ats[0]!, facts.timeZone, facts.now);
  const last = formatShortDate(facts.ats[facts.ats.length - 1]!, facts.timeZone, facts.now);
  return `Points: ${shown} (${first === last ? first : `${first} – ${last}`}). Signal since ${first}.`;
}

/** The closing question of every signal alert. */
export const SIGNAL_QUESTION = 'Something changed — what? If it was a policy change, log it with /flow event so the chart starts a new phase.';
