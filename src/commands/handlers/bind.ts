import { bindChannel } from '../../store/channel-bindings.ts';
import { getStream, listStreams } from '../../store/value-streams.ts';
import type { CommandContext } from '../context.ts';
import { errorReply, type Reply } from '../../reply/reply.ts';

/** `/flow bind STREAM`: this channel follows that value stream from now on. */
export async function bindReply(ctx: CommandContext, streamName: string): Promise<Reply> {
  const stream = await getStream(ctx.store.db, streamName);
  if (!stream) {
    const names = (await listStreams(ctx.store.db)).map((s) => s.name);
    return errorReply(
      'unknown-stream',
      `There is no value stream named "${streamName}".`,
      names.length > 0
        ? `Streams: ${names.join(', ')}. Example: /flow bind ${names[0]}.`
        : 'No stream is loaded yet: import one with `flow-nudge import` (or `flow-nudge demo`), then bind it.',
    );
  }
  await bindChannel(ctx.store.db, { platform: ctx.platform, channelId: ctx.channelId, teamId: ctx.teamId ?? null, streamId: stream.id }, ctx.now);
  return {
    text: `This channel now follows the value stream ${stream.map.name}. Try /flow cycletime 30d or /flow stages.`,
  };
}

/** `/flow streams`: the value streams there are. */
export async function streamsReply(ctx: CommandContext): Promise<Reply> {
  const streams = await listStreams(ctx.store.db);
  if (streams.length === 0) {
    return { text: 'No value stream is loaded yet. Import one with `flow-nudge import` (or try `flow-nudge demo`), then /flow bind NAME.', ephemeral: true };
  }
  return {
    text: `${streams.length} value stream${streams.length === 1 ? '' : 's'}. Bind this channel to one with /flow bind NAME.`,
    ephemeral: true,
    sections: [{ fields: streams.slice(0, 10).map((s) => ({ label: s.name, value: `${s.map.stages.length} stages, ${s.map.timeZone}` })) }],
  };
}
