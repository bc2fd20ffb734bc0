/**
 * The Teams counterpart of Slack's App Home: `home` (in a 1:1 chat or anywhere) answers with
 * the current state of every value stream followed by a Teams conversation of the tenant —
 * last signal, aging count, constraint, open experiment, Feature Factory Ratio — as a Reply,
 * rendered like any other answer. A personal install shows it under the welcome.
 *
 * Note: this mirrors `streamHomeStates` of src/chat/slack/app-home.ts (which only reads Slack
 * bindings); both would be better served by one function in src/commands taking the platform.
 */
import type { CommandContext } from '../../commands/context.ts';
import { lastSignalWords } from '../../commands/metric-text.ts';
import type { Reply, ReplySection } from '../../commands/reply.ts';
import { loadStreamReports } from '../../commands/stream-reports.ts';
import { listBindings } from '../../store/channel-bindings.ts';
import { getOpenExperiment } from '../../store/experiments.ts';
import { getStreamById } from '../../store/value-streams.ts';

/** True when the command text asks for the home view. */
export function isHomeRequest(text: string): boolean {
  return /^home$/i.test(text.trim());
}

/** One section per stream followed in this tenant's Teams conversations. */
export async function teamsHomeReply(ctx: CommandContext): Promise<Reply> {
  const bindings = (await listBindings(ctx.store.db)).filter((b) => b.platform === 'teams' && (!ctx.teamId || b.teamId === null || b.teamId === ctx.teamId));
  const byStream = new Map<number, typeof bindings>();
  for (const b of bindings) byStream.set(b.streamId, [...(byStream.get(b.streamId) ?? []), b]);
  const sections: ReplySection[] = [];
  for (const [streamId, streamBindings] of byStream) {
    const stored = await getStreamById(ctx.store.db, streamId);
    if (!stored) continue;
    const binding = streamBindings[0]!;
    const stream = { binding, streamId, name: stored.map.name, map: stored.map };
    const data = await loadStreamReports({ ...ctx, channelId: binding.channelId }, stream, undefined);
    const xmr = data.reports.xmr;
    const signal = lastSignalWords(xmr.leadTime!) ?? lastSignalWords(xmr.throughput!) ?? lastSignalWords(xmr.wip!);
    const epics = new Set(data.items.filter((i) => i.isEpic).map((i) => i.key));
    const aging = data.reports.aging.items.filter((i) => i.beyond !== null && !epics.has(i.key)).length;
    const open = await getOpenExperiment(ctx.store.db, streamId);
    const ffr = data.reports.featureFactory.ratio;
    sections.push({
      title: `${stream.name} (followed in ${streamBindings.length} conversation${streamBindings.length === 1 ? '' : 's'})`,
      fields: [
        { label: 'Last signal', value: signal ?? 'none: routine variation only' },
        { label: 'Aging', value: `${aging} item${aging === 1 ? '' : 's'} past the 85th percentile` },
        { label: 'Constraint', value: data.reports.stages.constraint?.sentence ?? 'no waiting recorded' },
        { label: 'Experiment', value: open ? `${open.policy}${open.reviewOn ? ` (review ${open.reviewOn})` : ''}` : 'none open' },
        { label: 'Feature Factory Ratio', value: ffr === null ? 'no epics' : `${Math.round(ffr)}%` },
      ],
    });
  }
  if (sections.length === 0) {
    return {
      text: 'No Teams channel or chat of your organisation follows a value stream yet. In a channel, type "@flow bind STREAM" (@flow streams lists them), then "@flow help".',
    };
  }
  return { text: 'Flow of your value streams (last 90 days). flow-nudge shows the system, never people.', sections };
}
