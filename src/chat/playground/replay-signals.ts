/**
 * "Replay demo history": walks the bound stream's history week by week and runs the real
 * signal check (src/nudges/signal-alert.ts) at each step on the history as it stood then, so
 * the XmR alerts fire as they would have, through the outbox, into the channel.
 *
 * Each replay checks on behalf of a channel of its own (`playground~replay-<n>`): the signal
 * check remembers what a channel has heard, and a replay should fire again on every click
 * without touching what #playground itself has been told. The playground deliverer posts
 * those into #playground.
 */
import type { StreamHistory } from '../../store/stream-history.ts';
import type { ChannelBinding } from '../../store/channel-bindings.ts';
import type { WorkItem } from '../../core/types.ts';
import { checkStreamSignals, type SignalPost } from '../../nudges/signal-alert.ts';
import type { NudgeContext } from '../../nudges/nudge-context.ts';

const DAY = 86_400_000;
export const REPLAY_CHANNEL_INFIX = '~replay-';

/**
 * The history as it stood at `at`: items created by then with the transitions up to then,
 * and the events logged by then.
 * @example historyAsOf(history, Date.parse('2026-06-01')).items.every((i) => i.createdAt <= Date.parse('2026-06-01')) // true
 */
export function historyAsOf<T extends StreamHistory>(history: T, at: number): T {
  const items: WorkItem[] = [];
  for (const item of history.items) {
    if (item.createdAt > at) continue;
    items.push({ ...item, transitions: item.transitions.filter((t) => t.at <= at) });
  }
  return { ...history, items, events: history.events.filter((e) => e.at <= at) };
}

export interface ReplayOptions {
  /** the first time checked (default 26 weeks before `now`); then every 7 days up to `now` */
  from?: number;
  /** a number that makes this replay's channel its own (default: `now`) */
  run?: number;
}

/**
 * Where a replay starts: two weeks before the first event logged in the last 26 weeks (the
 * demo's policy change), so the alert about that change fires; with no event, 26 weeks back.
 */
export function replayStart(history: StreamHistory, now: number): number {
  const horizon = now - 26 * 7 * DAY;
  const first = history.events.find((e) => e.at >= horizon && e.at <= now);
  return first ? Math.max(horizon, first.at - 14 * DAY) : horizon;
}

export interface ReplayResult {
  /** the times checked, oldest first */
  checkedAt: number[];
  posts: (SignalPost & { at: number })[];
}

/**
 * Replays `history` from `options.from` to `now`, weekly (and at `now`), through the signal check for `binding`'s
 * channel; the alerts go to the outbox (deliver them with the outbox worker).
 */
export async function replaySignals(
  ctx: NudgeContext,
  history: StreamHistory,
  binding: ChannelBinding,
  now: number,
  options: ReplayOptions = {},
): Promise<ReplayResult> {
  const from = Math.min(options.from ?? now - 26 * 7 * DAY, now);
  const replayBinding: ChannelBinding = { ...binding, channelId: `${binding.channelId}${REPLAY_CHANNEL_INFIX}${options.run ?? now}` };
  const result: ReplayResult = { checkedAt: [], posts: [] };
  const steps: number[] = [];
  for (let at = from; at < now; at += 7 * DAY) steps.push(at);
  steps.push(now);
  for (const at of steps) {
    result.checkedAt.push(at);
    const posts = await checkStreamSignals(ctx, historyAsOf(history, at), [replayBinding], at);
    result.posts.push(...posts.map((p) => ({ ...p, at })));
  }
  return result;
}
