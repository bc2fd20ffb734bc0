import type { types } from '@slack/bolt';
import type { XmrResult } from '../../core/types.ts';
import type { BoundStream, CommandContext } from '../../commands/context.ts';
import { RULE_WORDS } from '../../commands/metric-text.ts';
import { loadStreamReports } from '../../commands/stream-reports.ts';
import { listBindings } from '../../store/channel-bindings.ts';
import { getOpenExperiment } from '../../store/experiments.ts';
import { getStreamById } from '../../store/value-streams.ts';
import { escapeMrkdwn } from './blocks.ts';

/** The short current state of one stream, as App Home shows it. */
export interface StreamHomeState {
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

const SERIES: { key: 'leadTime' | 'throughput' | 'wip'; words: string }[] = [
  { key: 'leadTime', words: 'Lead time' },
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
 * The state of every stream bound to a channel of this workspace (one entry per stream,
 * listing its channels), computed over the last 90 days.
 */
export async function streamHomeStates(ctx: Omit<CommandContext, 'channelId'>): Promise<StreamHomeState[]> {
  const bindings = (await listBindings(ctx.store.db)).filter((b) => b.platform === 'slack' && (!ctx.teamId || b.teamId === null || b.teamId === ctx.teamId));
  const channelsByStream = new Map<number, string[]>();
  for (const b of bindings) channelsByStream.set(b.streamId, [...(channelsByStream.get(b.streamId) ?? []), b.channelId]);
  const states: StreamHomeState[] = [];
  for (const [streamId, channelIds] of channelsByStream) {
    const stored = await getStreamById(ctx.store.db, streamId);
    if (!stored) continue;
    const binding = bindings.find((b) => b.streamId === streamId)!;
    const stream: BoundStream = { binding, streamId, name: stored.map.name, map: stored.map };
    const data = await loadStreamReports({ ...ctx, channelId: binding.channelId }, stream, undefined);
    const epics = new Set(data.items.filter((i) => i.isEpic).map((i) => i.key));
    const open = await getOpenExperiment(ctx.store.db, streamId);
    states.push({
      stream: stream.name,
      channelIds,
      lastSignal: latestSignal(data.reports.xmr),
      agingCount: data.reports.aging.items.filter((i) => i.beyond !== null && !epics.has(i.key)).length,
      constraint: data.reports.stages.constraint?.sentence ?? null,
      experiment: open ? `${open.policy}${open.reviewOn ? ` (review ${open.reviewOn})` : ''}` : null,
      ffr: data.reports.featureFactory.ratio,
    });
  }
  return states.sort((a, b) => a.stream.localeCompare(b.stream));
}

/** The App Home tab: one section per stream with its fields; a hint to bind when there is none. */
export function homeView(states: StreamHomeState[]): types.HomeView {
  const blocks: types.KnownBlock[] = [{ type: 'header', text: { type: 'plain_text', text: 'Flow of your value streams' } }];
  if (states.length === 0) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: 'No channel of this workspace follows a value stream yet. In a channel, type `/flow bind STREAM`, then `/flow help`.' } });
  }
  for (const s of states) {
    blocks.push(
      { type: 'divider' },
      { type: 'section', text: { type: 'mrkdwn', text: `*${escapeMrkdwn(s.stream)}* in ${s.channelIds.map((c) => `<#${c}>`).join(', ')}` } },
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: `*Last signal*\n${escapeMrkdwn(s.lastSignal ?? 'none: routine variation only')}` },
          { type: 'mrkdwn', text: `*Aging*\n${s.agingCount} item${s.agingCount === 1 ? '' : 's'} past the 85th percentile` },
          { type: 'mrkdwn', text: `*Constraint*\n${escapeMrkdwn(s.constraint ?? 'no waiting recorded')}` },
          { type: 'mrkdwn', text: `*Experiment*\n${escapeMrkdwn(s.experiment ?? 'none open')}` },
          { type: 'mrkdwn', text: `*Feature Factory Ratio*\n${s.ffr === null ? 'no epics' : `${Math.round(s.ffr)}%`}` },
        ],
      },
    );
  }
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: 'Numbers of the last 90 days. flow-nudge shows the system, never people.' }] });
  return { type: 'home', blocks: blocks.slice(0, 100) };
}
