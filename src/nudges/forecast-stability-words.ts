/**
 * The stability verdict of a forecast in plain words (chat, the CLI, the check-in), from
 * forecastStability in src/core/forecast-stability.ts. Pure; dates in the stream's zone.
 */
import { MIN_STABLE_WEEKS, type ForecastStability } from '../core/forecast-stability.ts';
import { localDate } from '../core/local-date.ts';
import { SETTLED_PHASE_POINTS } from '../core/xmr-reading.ts';
import { formatShortDate, phaseWords, signalSentence } from './signal-words.ts';

/** The verdict as one or two sentences, e.g. "Throughput has been predictable for the last 12 weeks (no signal)." */
export function stabilitySentence(stability: ForecastStability, timeZone: string, now: number): string {
  const weeks = `${stability.weeksRead} week${stability.weeksRead === 1 ? '' : 's'}`;
  if (stability.verdict === 'unsettled') {
    const phase = stability.phase;
    const since = phase?.event ? ` ${phaseWords(phase.event, phase.event.at, timeZone, now)}` : '';
    const has = phase ? `${phase.weeks} whole week${phase.weeks === 1 ? '' : 's'} of throughput${since}` : 'no whole week of throughput yet';
    return `Too little history to say whether throughput is predictable: ${has}, and its limits settle at ${SETTLED_PHASE_POINTS.throughput}. This forecast samples the last ${stability.sampleDays} days: treat it with caution.`;
  }
  if (stability.verdict === 'stable' || !stability.signal) return `Throughput has been predictable for the last ${weeks} (no signal).`;
  const { signal, phase } = stability.signal;
  const points = stability.result.points;
  const sentence = signalSentence({
    series: 'throughput',
    signal,
    phase,
    values: signal.points.map((i) => points[i]!.value),
    labels: signal.points.map((i) => points[i]!.label ?? ''),
    ats: signal.points.map((i) => points[i]!.at!),
    phaseFirstAt: points[phase.startIndex]?.at ?? stability.signal.since,
    timeZone,
    now,
  });
  const since = formatShortDate(stability.signal.since, timeZone, now);
  if (stability.verdict === 'shift') {
    return `${sentence} Throughput shifted on ${since}, so this forecast samples only the ${stability.sampleDays} days since then.`;
  }
  const daysSince = Math.max(0, Math.round((Date.parse(localDate(now, timeZone)) - Date.parse(localDate(stability.signal.since, timeZone))) / 86_400_000));
  return `${sentence} Too little stable history since the shift on ${since} (${Math.floor(daysSince / 7)} of the ${MIN_STABLE_WEEKS} weeks a forecast needs), so this forecast still samples the last ${stability.sampleDays} days, before and after it: treat it with caution.`;
}

/** The verdict as the CLI's `--json` prints it under "stability". */
export function stabilityJson(stability: ForecastStability, timeZone: string, now: number): Record<string, unknown> {
  const s = stability.signal;
  return {
    verdict: stability.verdict,
    weeksRead: stability.weeksRead,
    phaseWeeks: stability.phase?.weeks ?? 0,
    signal: s ? { rule: s.signal.rule, side: s.signal.side, week: s.week, since: localDate(s.since, timeZone) } : null,
    sampleDays: stability.sampleDays,
    sentence: stabilitySentence(stability, timeZone, now),
  };
}
