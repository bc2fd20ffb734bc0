/**
 * The streams that have at least one bound channel, with those channels: what every channel
 * nudge iterates over. Histories are loaded on demand and shared within one job run.
 */
import type { StreamMap } from '../core/types.ts';
import { listBindings, type ChannelBinding } from '../store/channel-bindings.ts';
import type { Store } from '../store/database.ts';
import { loadStreamHistory, type StreamHistory } from '../store/stream-history.ts';
import { listStreams } from '../store/value-streams.ts';
import { channelTargetSchema, type ChannelTarget } from './nudge-target.ts';

export interface BoundStreamChannels {
  streamId: number;
  name: string;
  map: StreamMap;
  bindings: ChannelBinding[];
}

/** Every stream with bound channels, by stream name; optionally one stream only. */
export async function listBoundStreams(store: Store, options: { streamName?: string } = {}): Promise<BoundStreamChannels[]> {
  const [streams, bindings] = await Promise.all([listStreams(store.db), listBindings(store.db)]);
  const out: BoundStreamChannels[] = [];
  for (const stream of streams) {
    if (options.streamName !== undefined && stream.name !== options.streamName) continue;
    const own = bindings.filter((b) => b.streamId === stream.id);
    if (own.length > 0) out.push({ streamId: stream.id, name: stream.name, map: stream.map, bindings: own });
  }
  return out;
}

/** Where a channel nudge for a binding goes. */
export function bindingTarget(binding: ChannelBinding): ChannelTarget {
  return channelTargetSchema.parse({
    platform: binding.platform,
    channelId: binding.channelId,
    ...(binding.teamId ? { teamId: binding.teamId } : {}),
  });
}

/**
 * Loads a stream's history once for consecutive uses within a job run. Keeps the last
 * `maxEntries` streams only (the jobs go stream by stream), so a run over a thousand channels
 * does not hold every history at once. `compact`: compact histories (loadCompactHistoryOf), for a
 * job that reads only start, completion and time in progress (the signal check).
 */
export function createHistoryCache(store: Store, maxEntries = 2, options: { compact?: boolean } = {}): (name: string) => Promise<StreamHistory | null> {
  const cache = new Map<string, Promise<StreamHistory | null>>();
  return (name) => {
    let entry = cache.get(name);
    if (entry) {
      cache.delete(name);
    } else {
      entry = loadStreamHistory(store, name, options);
      if (cache.size >= maxEntries) cache.delete(cache.keys().next().value!);
    }
    cache.set(name, entry);
    return entry;
  };
}
