import { agingWip, cycleTime, featureFactoryRatio, stageBreakdown } from '../core/index.ts';
import type { XmrResult } from '../core/types.ts';
import { listBindings } from '../store/channel-bindings.ts';
import { getOpenExperiment } from '../store/experiments.ts';
import { getStreamById } from '../store/value-streams.ts';
import type { BoundStream, CommandContext } from './context.ts';
import { RULE_WORDS, xmrOfSeries } from './metric-answers.ts';
import { loadStreamData } from './stream-data.ts';

/** The short current state of one stream, as App Home (Slack) or the home card (Teams) shows it. */
export interface StreamState {
  stream: string;
  channelIds: string[];
  /** the most recent XmR signal in words, or null */
  lastSignal: string | null;
  /** in-progress items past the 85th percentile of cycle time */
  agingCount: number;
  constraint: string | null;
  experiment: string | null;
  /** Feature Factory Ratio 0..100, null without epics */
  ffr: number | null;
}

const SERIES: { key: 'leadtime' | 'throughput' | 'wip'; words: string }[] = [
  { key: 'leadtime', words: 'Lead time' },
  { key: 'throughput', words: 'Weekly throughput' },
  { key: 'wip', words: 'WIP' },
];

function latestSignal(xmr: Record<string, XmrResult>): string | null {
  let best: { at: number; text: string } | null = null;
  for (const { key, words } of SERIES) {
    const result = xmr[key]!;
    for (const signal of result.signals) {
      const last = result.points[signal.points.at(-1)!];
      const at = last?.at ?? signal.points.at(-1)!;
      if (!best || at > best.at) best = { at, text: `${words}: ${RULE_WORDS[signal.rule]}, ${signal.side} the centre line${last?.label ? ` (to ${last.label})` : ''}` };
    }
  }
  return best?.text ?? null;
}

/**
 * The state of every stream bound to a channel of this workspace (team) on the context's platform (one entry per stream,
 * listing its channels), computed over the last 90 days.
 */
export async function streamStates(ctx: Omit<CommandContext, 'channelId' | 'charts'>): Promise<StreamState[]> {
  const bindings = (await listBindings(ctx.store.db)).filter((b) => b.platform === ctx.platform && (!ctx.teamId || b.teamId === null || b.teamId === ctx.teamId));
  const channelsByStream = new Map<number, string[]>();
  for (const b of bindings) channelsByStream.set(b.streamId, [...(channelsByStream.get(b.streamId) ?? []), b.channelId]);
  const states: StreamState[] = [];
  for (const [streamId, channelIds] of channelsByStream) {
    const stored = await getStreamById(ctx.store.db, streamId);
    if (!stored) continue;
    const binding = bindings.find((b) => b.streamId === streamId)!;
    const stream: BoundStream = { binding, streamId, name: stored.map.name, map: stored.map };
    const data = await loadStreamData(ctx, stream, undefined);
    const { timelines, window, now } = data;
    const aging = agingWip(timelines, stream.map, now, cycleTime(timelines, stream.map, window).percentiles);
    const open = await getOpenExperiment(ctx.store.db, streamId);
    states.push({
      stream: stream.name,
      channelIds,
      lastSignal: latestSignal({ leadtime: xmrOfSeries(data, 'leadtime'), throughput: xmrOfSeries(data, 'throughput'), wip: xmrOfSeries(data, 'wip') }),
      agingCount: aging.items.filter((i) => i.beyond !== null).length,
      constraint: stageBreakdown(timelines, stream.map, window, now).constraint?.sentence ?? null,
      experiment: open ? `${open.policy}${open.reviewOn ? ` (review ${open.reviewOn})` : ''}` : null,
      ffr: featureFactoryRatio(data.items).ratio,
    });
  }
  return states.sort((a, b) => a.stream.localeCompare(b.stream));
}

