/**
 * Plain words for an XmR signal: one sentence builder per rule, plus the phase it is read
 * against ("since the policy change 'WIP limit 3' on 2 Nov"). Pure; dates in the stream's zone.
 */
import { dayMonth, localDate } from '../core/index.ts';
import type { FlowEvent, XmrPhase, XmrResult, XmrRule, XmrSignal } from '../core/types.ts';
import { BASELINE_EVENT_KIND, SETTLED_PHASE_POINTS, type CurrentPhase, type XmrKind, type XmrScale } from '../core/xmr-reading.ts';

interface SeriesWords {
  what: string;
  point: string;
  points: string;
  unit: string;
}

export const SIGNAL_SERIES_WORDS: Record<XmrKind, SeriesWords> = {
  leadtime: { what: 'Lead time', point: 'finished item', points: 'finished items', unit: 'days' },
  cycletime: { what: 'Cycle time', point: 'finished item', points: 'finished items', unit: 'days' },
  throughput: { what: 'Weekly throughput', point: 'week', points: 'weeks', unit: 'items' },
  wip: { what: 'Work in progress (end of week)', point: 'week', points: 'weeks', unit: 'items' },
};

/** What the sentence builders need to know about one signal. */
export interface SignalFacts {
  series: XmrKind;
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
  if (event.kind === BASELINE_EVENT_KIND) return `since the limits were restarted on ${date} ('${text}')`;
  return `since the event '${text}' on ${date}`;
}

/** "the average of 6.2 days", for lead and cycle time "the average of 6.2 days (geometric mean)": they are read on the log scale. */
function averageWords(facts: Pick<SignalFacts, 'series' | 'phase'> & { scale?: XmrScale }): string {
  const w = SIGNAL_SERIES_WORDS[facts.series];
  const log = facts.scale ? facts.scale === 'log' : facts.series === 'leadtime' || facts.series === 'cycletime';
  return `the average of ${formatValue(facts.phase.center)} ${w.unit}${log ? ' (geometric mean)' : ''}`;
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

/** What the words of a reading need: the series, its current-phase result, how it was read. */
export interface PhaseReadingFacts {
  series: XmrKind;
  /** the result whose signals are the current phase's (currentPhaseSignals) */
  result: XmrResult;
  /** the phase of the latest point (XmrReading.current); without it, the last phase with limits */
  current?: CurrentPhase | null;
  scale: XmrScale;
  timeZone: string;
  now: number;
}

const sideWords = (side: 'above' | 'below') => (side === 'above' ? 'above' : 'below');

/**
 * The current phase in plain words: which signals it has and since when, or that it has none
 * (the same signals the alert logic reads, see readXmr). One line per side of the centre.
 * @example currentPhaseLines(facts)
 * // ["Lead time since the policy change 'WIP limit 3 in Code review' on 3 Sep (112 finished items): below the average of 17.1 days (geometric mean) since 14 Sep — 6 runs of 8 or more finished items in a row, 1 finished item below the lower limit (DEMO-466, 5 days)."]
 */
export function currentPhaseLines(facts: PhaseReadingFacts): string[] {
  const { result, series, timeZone, now } = facts;
  const w = SIGNAL_SERIES_WORDS[series];
  const phase = facts.current !== undefined ? (facts.current?.limits ?? null) : (result.phases.at(-1) ?? null);
  const currentIndex = facts.current?.index ?? phase?.index;
  const firstAt = result.points.find((p) => p.phase === currentIndex)?.at ?? now;
  if (!phase) {
    const n = facts.current?.points ?? result.points.length;
    const since = facts.current ? ` ${phaseWords(facts.current.event, firstAt, timeZone, now)}` : '';
    return [`${w.what}${since}: ${n} ${n === 1 ? w.point : w.points} so far; limits need at least 6, and signals are read from ${SETTLED_PHASE_POINTS[series]}.`];
  }
  const n = facts.current?.points ?? phase.endIndex - phase.startIndex + 1;
  const head = `${w.what} ${phaseWords(phase.event, firstAt, timeZone, now)} (${n} ${n === 1 ? w.point : w.points})`;
  const limits = `centre ${formatValue(phase.center)} ${w.unit}, limits ${formatValue(Math.max(0, phase.lnpl))}–${formatValue(phase.unpl)} ${w.unit}`;
  if (n < SETTLED_PHASE_POINTS[series]) {
    return [`${head}: its limits settle at ${SETTLED_PHASE_POINTS[series]} ${w.points}; signals are read from then (${limits} so far).`];
  }
  const signals = result.signals.filter((s) => s.phase === phase.index);
  if (signals.length === 0) return [`${head}: no signal, only routine variation (${limits}). React to signals, not to single points.`];
  const lines: string[] = [];
  for (const side of ['above', 'below'] as const) {
    const mine = signals.filter((s) => s.side === side);
    if (mine.length === 0) continue;
    const since = Math.min(...mine.map((s) => result.points[s.points[0]!]?.at ?? now));
    const parts: string[] = [];
    const runs = mine.filter((s) => s.rule === 'run-of-8');
    if (runs.length === 1) parts.push(`a run of ${runs[0]!.points.length} ${w.points} in a row`);
    else if (runs.length > 1) parts.push(`${runs.length} runs of 8 or more ${w.points} in a row`);
    const beyond = mine.filter((s) => s.rule === 'beyond-limits');
    const limit = side === 'above' ? `the upper limit of ${formatValue(phase.unpl)} ${w.unit}` : `the lower limit of ${formatValue(phase.lnpl)} ${w.unit}`;
    if (beyond.length > 0) {
      const named = beyond.slice(0, 3).map((s) => {
        const p = result.points[s.points[0]!]!;
        return `${p.label ?? `point ${p.index + 1}`}, ${formatValue(p.value)} ${w.unit}`;
      });
      parts.push(`${beyond.length} ${beyond.length === 1 ? w.point : w.points} ${sideWords(side)} ${limit} (${named.join('; ')}${beyond.length > 3 ? '; …' : ''})`);
    }
    const near = mine.filter((s) => s.rule === '3-of-4');
    if (near.length > 0) parts.push(`${near.length === 1 ? 'once' : `${near.length} times`} 3 of 4 ${w.points} nearer the ${side === 'above' ? 'upper' : 'lower'} limit than the centre`);
    lines.push(`${head}: ${sideWords(side)} ${averageWords({ series, phase, scale: facts.scale })} since ${formatShortDate(since, timeZone, now)} — ${parts.join(', ')}.`);
  }
  return lines;
}

/** The one short line saying how lead or cycle time is read (none for counts read as they are). */
export function scaleLine(series: XmrKind, scale: XmrScale): string | null {
  const w = SIGNAL_SERIES_WORDS[series];
  const command = `/flow xmr ${series}`;
  if (scale === 'log') return `${w.what} is read on a log scale (a few slow items, many quick ones): the centre is the geometric mean, the limits are shown in days. Raw days: ${command} raw.`;
  if (series === 'leadtime' || series === 'cycletime') return `${w.what} read in raw days (the alerts read it on a log scale: ${command}).`;
  return null;
}
