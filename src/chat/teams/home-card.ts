/**
 * The Teams counterpart of Slack's App Home: `home` (in a 1:1 chat or anywhere) answers with
 * the current state of every value stream followed by a Teams conversation of the tenant —
 * last signal, aging count, constraint, open experiment, Feature Factory Ratio — as a Reply,
 * rendered like any other answer. A personal install shows it under the welcome. The states
 * are the ones Slack's App Home shows (`streamStates` in src/commands).
 */
import type { CommandContext } from '../../commands/context.ts';
import type { Reply, ReplySection } from '../../reply/reply.ts';
import { streamStates } from '../../commands/stream-state.ts';

/** True when the command text asks for the home view. */
export function isHomeRequest(text: string): boolean {
  return /^home$/i.test(text.trim());
}

/** One section per stream followed in this tenant's Teams conversations. */
export async function teamsHomeReply(ctx: CommandContext): Promise<Reply> {
  const sections: ReplySection[] = (await streamStates({ ...ctx, platform: 'teams' })).map((state) => {
    const followed = state.channelIds.length;
    return {
      title: `${state.stream} (followed in ${followed} conversation${followed === 1 ? '' : 's'})`,
      fields: [
        { label: 'Last signal', value: state.lastSignal ?? 'none: routine variation only' },
        { label: 'Aging', value: `${state.agingCount} item${state.agingCount === 1 ? '' : 's'} past the 85th percentile` },
        { label: 'Constraint', value: state.constraint ?? 'no waiting recorded' },
        { label: 'Experiment', value: state.experiment ?? 'none open' },
        { label: 'Feature Factory Ratio', value: state.ffr === null ? 'no epics' : `${Math.round(state.ffr)}%` },
      ],
    };
  });
  if (sections.length === 0) {
    return {
      text: 'No Teams channel or chat of your organisation follows a value stream yet. In a channel, type "@flow bind STREAM" (@flow streams lists them), then "@flow help".',
    };
  }
  return { text: 'Flow of your value streams (last 90 days). flow-nudge shows the system, never people.', sections };
}
