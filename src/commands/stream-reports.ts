import { featureFactoryRatio } from '../core/feature-factory-ratio.ts';
import { computeReportSet } from '../core/report-set.ts';
import type { FlowEvent, ReportSet, Window, WorkItem } from '../core/types.ts';
import { listFlowEvents } from '../store/flow-events.ts';
import { loadWorkItems } from '../store/work-items.ts';
import type { BoundStream, CommandContext } from './context.ts';
import { resolvePeriod, type Period } from './period.ts';

const DAY_MS = 86_400_000;

/** Everything a metric answer is computed from: the stream's items and events and every report over one window. */
export interface StreamReports {
  stream: BoundStream;
  items: WorkItem[];
  events: FlowEvent[];
  window: Window;
  /** e.g. "last 30 days", "since 2026-09-01", "whole history" */
  periodLabel: string;
  reports: ReportSet;
}

/**
 * Loads a stream and computes its reports over the period asked for; without one, the last
 * `defaultDays` days, or the whole history when `defaultDays` is 'all' (XmR charts).
 */
export async function loadStreamReports(
  ctx: CommandContext,
  stream: BoundStream,
  period: Period | undefined,
  defaultDays: number | 'all' = 90,
): Promise<StreamReports> {
  const [items, events] = await Promise.all([loadWorkItems(ctx.store.db, stream.streamId), listFlowEvents(ctx.store.db, stream.streamId)]);
  let window: Window;
  let periodLabel: string;
  if (period) {
    window = resolvePeriod(period, ctx.now, stream.map.timeZone);
    periodLabel = period.label;
  } else if (defaultDays === 'all') {
    const first = items.reduce((min, i) => Math.min(min, i.createdAt), ctx.now);
    window = { from: Math.min(first, ctx.now - DAY_MS), to: ctx.now + 1 };
    periodLabel = 'whole history';
  } else {
    window = { from: ctx.now - defaultDays * DAY_MS, to: ctx.now + 1 };
    periodLabel = `last ${defaultDays} days`;
  }
  // Epics are containers, not flow items: every metric leaves them out except the FFR (as the charts do).
  const flowItems = items.filter((i) => !i.isEpic);
  const reports = { ...computeReportSet(flowItems, stream.map, events, window, ctx.now, 'calendar'), featureFactory: featureFactoryRatio(items) };
  return { stream, items, events, window, periodLabel, reports };
}
