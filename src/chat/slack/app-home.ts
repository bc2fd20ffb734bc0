import type { types } from '@slack/bolt';
import type { StreamState } from '../../commands/stream-state.ts';
import { escapeMrkdwn } from './blocks.ts';

export { streamStates } from '../../commands/stream-state.ts';

/** The App Home tab: one section per stream with its fields; a hint to bind when there is none. */
export function homeView(states: StreamState[]): types.HomeView {
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
