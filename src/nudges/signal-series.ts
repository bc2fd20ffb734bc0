/**
 * The XmR series the signal alert watches, computed at `now` (pure: plain data in and out),
 * read as every chart and answer reads them (readXmr in src/core/xmr-reading.ts):
 *
 * - lead time of each finished item (epics left out), in completion order, on the log scale;
 * - weekly throughput, complete ISO weeks only (the week in progress would read low);
 * - WIP sampled once a week, at the end of each complete ISO week. Not daily: WIP today is
 *   WIP yesterday ± a few items, so daily points follow each other closely and the run-of-8
 *   rule would fire on nearly every stream — noise posts.
 *
 * Weekly series start with the week of the stream's first completion; phases split at the
 * stream's logged events; signals count once a phase's limits are settled.
 */
import {
  buildTimelines,
  readXmr,
  SETTLED_PHASE_POINTS,
  xmrSeriesOf,
  type FlowEvent,
  type StreamMap,
  type Timeline,
  type WorkItem,
  type XmrResult,
  type XmrSeries,
  type CurrentPhase,
} from '../core/index.ts';

export { geometricXmr } from '../core/xmr-reading.ts';

export type SignalSeriesKind = 'leadtime' | 'throughput' | 'wip';
export const SIGNAL_SERIES: readonly SignalSeriesKind[] = ['leadtime', 'throughput', 'wip'];

export interface WatchedSeries {
  kind: SignalSeriesKind;
  series: XmrSeries;
  result: XmrResult;
  /** the phase of the latest point (readXmr); absent where a caller built the result itself */
  current?: CurrentPhase | null;
}

/**
 * The XmR result the signal alert reads for one series (readXmr: lead time on the log scale,
 * settled phases' signals only). Shared with the simulation.
 */
export function seriesResult(kind: SignalSeriesKind, series: XmrSeries, events: readonly FlowEvent[]): XmrResult {
  return readXmr(kind, series, events).result;
}

/** Points a phase needs before its signals are alerted: the limits rest on them and stop moving. */
export const ALERT_MIN_PHASE_POINTS: Record<SignalSeriesKind, number> = SETTLED_PHASE_POINTS;

/** The whole-history window of a stream at `now`: from its first arrival to just after `now`. */
export function wholeHistoryWindow(items: readonly { createdAt: number }[], now: number): { from: number; to: number } {
  let first = now;
  for (const item of items) if (item.createdAt < first) first = item.createdAt;
  return { from: Math.min(first, now), to: now + 1 };
}

/**
 * The watched series of a stream at `now`, each with its XmR result phased by the events: from
 * its work items, or from its flow items' timelines (a compact history's, which the signal check
 * reads: src/nudges/signal-alert.ts).
 * @example
 * const [lead] = watchedSeries(items, map, events, now);
 * lead.result.signals; // [{ rule: 'run-of-8', side: 'below', phase: 1, points: [...] }]
 */
export function watchedSeries(input: readonly WorkItem[] | readonly Timeline[], map: StreamMap, events: readonly FlowEvent[], now: number): WatchedSeries[] {
  const timelines = input.length > 0 && 'steps' in input[0]! ? (input as readonly Timeline[]) : buildTimelines((input as readonly WorkItem[]).filter((item) => !item.isEpic), map);
  const window = wholeHistoryWindow(
    timelines.map((t) => t.item),
    now,
  );
  return (['leadtime', 'throughput', 'wip'] as const).map((kind) => {
    const series = xmrSeriesOf(kind, timelines, map, window);
    const reading = readXmr(kind, series, events);
    return { kind, series, result: reading.result, current: reading.current };
  });
}
