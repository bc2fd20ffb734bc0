import { computeReportSet } from '../core/report-set.ts';
import { featureFactoryRatio } from '../core/feature-factory-ratio.ts';
import type { ReportSet } from '../core/types.ts';
import type { BoundStream, CommandContext } from './context.ts';
import type { Period } from './period.ts';
import { loadStreamData, type StreamData } from './stream-data.ts';

/** Every report of a stream at once (epics left out of flow metrics, counted in the FFR). */
export interface StreamReports extends StreamData {
  reports: ReportSet;
}

/**
 * Loads a stream and computes every report over the period (default: last 90 days; 'all': the
 * whole history). Commands compute only what they answer (stream-data.ts + metric-answers.ts);
 * this is for views that show a bit of everything. Prefer `streamStates` (stream-state.ts).
 */
export async function loadStreamReports(ctx: CommandContext, stream: BoundStream, period: Period | undefined, defaultDays: number | 'all' = 90): Promise<StreamReports> {
  const data = await loadStreamData(ctx, stream, period, defaultDays);
  const reports = { ...computeReportSet(data.timelines.map((t) => t.item), stream.map, data.events, data.window, ctx.now, 'calendar'), featureFactory: featureFactoryRatio(data.items) };
  return { ...data, reports };
}
