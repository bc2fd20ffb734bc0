import type { ChartContext } from '../charts/index.ts';
import type { FlowEvent, Timeline, Window, WorkItem } from '../core/types.ts';
import { flowTimelines } from '../store/stream-history.ts';
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
  window: Window;
  /** e.g. "last 30 days", "since 2026-09-01", "whole history" */
  periodLabel: string;
  /** the context every chart of this answer is drawn with */
  chartContext: ChartContext;
  now: number;
}

/**
 * Loads a stream for the period asked for; without one, the last `defaultDays` days, or the
 * whole history when `defaultDays` is 'all' (XmR charts).
 */
export async function loadStreamData(ctx: Pick<CommandContext, 'store' | 'now'>, stream: BoundStream, period: Period | undefined, defaultDays: number | 'all' = 90): Promise<StreamData> {
  const history = await loadFlowHistory(ctx.store, stream.streamId, stream.map);
  const timelines = flowTimelines(history);
  let window: Window;
  let periodLabel: string;
  if (period) {
    window = resolvePeriod(period, ctx.now, stream.map.timeZone);
    periodLabel = period.label;
  } else if (defaultDays === 'all') {
    const first = timelines.reduce((min, t) => Math.min(min, t.arrivedAt), ctx.now);
    window = { from: Math.min(first, ctx.now - DAY_MS), to: ctx.now + 1 };
    periodLabel = 'whole history';
  } else {
    window = { from: ctx.now - defaultDays * DAY_MS, to: ctx.now + 1 };
    periodLabel = `last ${defaultDays} days`;
  }
  return {
    stream,
    items: history.items,
    timelines,
    events: history.events,
    window,
    periodLabel,
    chartContext: { stream: stream.name, periodLabel, from: window.from, to: window.to, timeZone: stream.map.timeZone },
    now: ctx.now,
  };
}
