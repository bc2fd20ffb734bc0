import type { ChartContext } from '../charts/index.ts';
import type { FlowEvent, Timeline, Window, WorkItem } from '../core/types.ts';
import { flowTimelines, leftOutOf, type StreamHistory } from '../store/stream-history.ts';
import type { BoundStream, CommandContext } from './context.ts';
import { loadFlowHistory } from './flow-history-cache.ts';
import { resolvePeriod, type Period } from './period.ts';

const DAY_MS = 86_400_000;

/** What a metric answer is computed from: the stream's history, events, the window and its words. */
export interface StreamData {
  stream: BoundStream;
  /** every item, epics included (the FFR counts epics) */
  items: WorkItem[];
  /** timelines of the flow items (epics left out) */
  timelines: Timeline[];
  events: FlowEvent[];
  /**
   * the flow items the history left out, by the done stage they sit in (the CFD's base): none
   * for a whole history; null for a windowed one read without `leftOut` (the CFD cannot be drawn from it)
   */
  leftOut: Readonly<Record<string, number>> | null;
  window: Window;
  /** e.g. "last 30 days", "since 2026-09-01", "whole history" */
  periodLabel: string;
  /** the context every chart of this answer is drawn with */
  chartContext: ChartContext;
  now: number;
}

/** The window an answer is asked over: none yet for the whole history (it starts at the first arrival). */
interface AskedWindow {
  window: Window | undefined;
  periodLabel: string;
}

function askedWindow(period: Period | undefined, defaultDays: number | 'all', now: number, timeZone: string): AskedWindow {
  if (period) return { window: resolvePeriod(period, now, timeZone), periodLabel: period.label };
  if (defaultDays === 'all') return { window: undefined, periodLabel: 'whole history' };
  return { window: { from: now - defaultDays * DAY_MS, to: now + 1 }, periodLabel: `last ${defaultDays} days` };
}

/**
 * Loads a stream for the period asked for; without one, the last `defaultDays` days, or the
 * whole history when `defaultDays` is 'all' (XmR charts).
 *
 * `windowed`: the answer measures only what happens in the window (WINDOWED_METRICS in
 * metric-reads.ts), so the items done and unchanged since before it need not be read (a
 * windowed history); `items` and `timelines` then hold only the others. `leftOut`: count those
 * too (the CFD starts its done bands from them). `compact`: the answer reads only start,
 * completion and time in progress of the whole history (COMPACT_METRICS in metric-reads.ts), so
 * a compact history serves (src/store/stream-history.ts, loadCompactHistoryOf).
 */
export async function loadStreamData(
  ctx: Pick<CommandContext, 'store' | 'now'>,
  stream: BoundStream,
  period: Period | undefined,
  defaultDays: number | 'all' = 90,
  options: { windowed?: boolean; leftOut?: boolean; compact?: boolean } = {},
): Promise<StreamData> {
  const asked = askedWindow(period, defaultDays, ctx.now, stream.map.timeZone);
  const from = options.windowed ? asked.window?.from : undefined;
  const history = await loadFlowHistory(ctx.store, stream.streamId, stream.map, from === undefined ? { compact: options.compact === true } : { from, leftOut: options.leftOut === true });
  // counted with the read; a cached history read without them counts them now
  if (options.leftOut) await leftOutOf(ctx.store, history);
  return streamDataOf(stream, history, period, defaultDays, ctx.now);
}

/** The data of an answer from a history at hand (whole, or windowed from at most the window's start). */
export function streamDataOf(stream: BoundStream, history: StreamHistory, period: Period | undefined, defaultDays: number | 'all', now: number): StreamData {
  const timelines = flowTimelines(history);
  const asked = askedWindow(period, defaultDays, now, stream.map.timeZone);
  let window = asked.window;
  if (!window) {
    const first = timelines.reduce((min, t) => Math.min(min, t.arrivedAt), now);
    window = { from: Math.min(first, now - DAY_MS), to: now + 1 };
  }
  return {
    stream,
    items: history.items,
    timelines,
    events: history.events,
    leftOut: history.from === undefined ? {} : (history.leftOut ?? null),
    window,
    periodLabel: asked.periodLabel,
    chartContext: { stream: stream.name, periodLabel: asked.periodLabel, from: window.from, to: window.to, timeZone: stream.map.timeZone },
    now,
  };
}
