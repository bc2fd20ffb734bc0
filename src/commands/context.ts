import { getBinding, type ChannelBinding } from '../store/channel-bindings.ts';
import type { Store } from '../store/database.ts';
import { getStreamById } from '../store/value-streams.ts';
import type { StreamMap } from '../core/types.ts';
import type { Reply } from '../reply/reply.ts';
import type { ChartRenderer } from '../charts/index.ts';

/** Where a command comes from: the store, the platform and channel, who asked, and the clock; and how to draw charts. */
export interface CommandContext {
  store: Store;
  /** the program's chart renderer (made where the program is wired: start-bot, the CLI) */
  charts: ChartRenderer;
  platform: 'slack' | 'teams' | 'playground';
  channelId: string;
  teamId?: string;
  /** the person who typed the command: used only to answer them, never in a metric */
  userId: string;
  /** epoch ms */
  now: number;
  /**
   * People the platform marked as mentioned in the command text (Teams mention entities:
   * the text holds `<at>Ana</at>`, the entity the id). Slack mentions are in the text itself.
   */
  mentions?: CommandMention[];
}

/** A person mentioned in a command: the text that marks them and who they are. */
export interface CommandMention {
  /** as it appears in the command text, e.g. `<at>Ana Lopez</at>` */
  text: string;
  userId: string;
  name: string;
}

/** The value stream a channel follows. */
export interface BoundStream {
  binding: ChannelBinding;
  streamId: number;
  name: string;
  map: StreamMap;
}

/** The stream bound to the context's channel, or null when the channel follows none. */
export async function boundStream(ctx: CommandContext): Promise<BoundStream | null> {
  const binding = await getBinding(ctx.store.db, ctx.platform, ctx.channelId);
  if (!binding) return null;
  const stream = await getStreamById(ctx.store.db, binding.streamId);
  if (!stream) return null;
  return { binding, streamId: stream.id, name: stream.map.name, map: stream.map };
}

/** The answer for a channel with no bound stream: how to bind one. */
export function notBoundReply(): Reply {
  return {
    text: 'This channel does not follow a value stream yet. Bind one with /flow bind STREAM (e.g. /flow bind demo); /flow streams lists the names.',
    ephemeral: true,
    error: { code: 'channel-not-bound', fix: 'Run /flow bind STREAM in this channel; /flow streams lists the streams.' },
  };
}
