import { getStageLookup } from '../core/stage-lookup.ts';
import { buildTimeline, buildTimelines } from '../core/timeline.ts';
import type { FlowEvent, StreamMap, Timeline, WorkItem } from '../core/types.ts';
import type { Store } from './database.ts';
import { listFlowEvents } from './flow-events.ts';
import { getStream } from './value-streams.ts';
import { countLeftOut, loadWorkItemChunk, workItemIdsOf } from './work-item-load.ts';
import { compactItem, compactTimeline } from '../core/compact-timeline.ts';
import { loadWorkItems } from './work-items.ts';

/**
 * Everything the metrics and nudges need of one value stream: the one history type. Commands read
 * it through their cache (src/commands/flow-history-cache.ts), jobs through a per-run cache
 * (src/nudges/bound-streams.ts); both load it with `loadStreamHistoryOf`.
 */
export interface StreamHistory {
  id: number;
  name: string;
  map: StreamMap;
  /**
   * every work item, epics included (the Feature Factory Ratio needs them); with `from`, only
   * those that can matter from then on (src/store/work-item-load.ts, MatterFrom)
   */
  items: WorkItem[];
  events: FlowEvent[];
  /**
   * set on a windowed history: the items done and unchanged since before this time are left
   * out. It answers only what is measured from `from` on (windowed metrics), never what needs
   * the whole history (XmR limits, forecasts, the Feature Factory Ratio).
   */
  from?: number;
  /**
   * on a windowed history once `leftOutOf` counted them: the flow items left out, by the done
   * stage they sat in through the whole window (the CFD's done bands start from these counts)
   */
  leftOut?: Record<string, number>;
  /**
   * set on a compact history (loadCompactHistoryOf): its items carry no transitions and its
   * timelines are compact (src/core/compact-timeline.ts). It answers the whole-history measures
   * of start, completion and time in progress only (COMPACT_METRICS in src/commands/metric-reads.ts).
   */
  compact?: true;
}

/**
 * Loads the history of a stream whose row is already at hand: all of it, or with `from` only the
 * items that can matter from that time on (a windowed history).
 */
export async function loadStreamHistoryOf(
  store: Store,
  stream: { id: number; map: StreamMap },
  options: {
    from?: number;
    /** with `from`: count the items left out too (leftOutOf), alongside the read (on Postgres, at once) */
    leftOut?: boolean;
    /** told how many items were read so far, as they are read and before the last is built */
    onItems?: (count: number) => void;
  } = {},
): Promise<StreamHistory> {
  const { from, onItems } = options;
  const [items, events, leftOut] = await Promise.all([
    loadWorkItems(store.db, stream.id, { ...(from !== undefined && { matterFrom: { at: from, map: stream.map } }), ...(onItems && { onItems }) }),
    listFlowEvents(store.db, stream.id),
    from !== undefined && options.leftOut ? countLeftOut(store.db, stream.id, { at: from, map: stream.map }) : undefined,
  ]);
  return {
    id: stream.id,
    name: stream.map.name,
    map: stream.map,
    items,
    events,
    ...(from === undefined ? {} : { from }),
    ...(leftOut === undefined ? {} : { leftOut: byStage(stream.map, leftOut) }),
  };
}

/** Counts by done status as counts by the stage each status is in. */
function byStage(map: StreamMap, byStatus: Record<string, number>): Record<string, number> {
  const stageOf = getStageLookup(map);
  const leftOut: Record<string, number> = {};
  for (const [status, count] of Object.entries(byStatus)) {
    const stage = stageOf(status)!.stage;
    leftOut[stage] = (leftOut[stage] ?? 0) + count;
  }
  return leftOut;
}

/**
 * Items read at a time by loadCompactHistoryOf: about 4k transitions of the demo's shape. At 100k
 * items, 2,000 a chunk let the garbage of the chunks pile up to a 630 MB peak; 500 keep it at 314.
 */
const COMPACT_CHUNK_ITEMS = 500;

/**
 * The whole history of a stream as a compact history (StreamHistory.compact): read a chunk of
 * items at a time, each chunk's timelines built and compacted before the next is read, so the
 * stream's transitions are never all in memory. Its timelines (flowTimelines) are the compact ones.
 */
export async function loadCompactHistoryOf(
  store: Store,
  stream: { id: number; map: StreamMap },
  options: { chunkItems?: number; /** told the item and event counts before the first chunk is read */ onSize?: (items: number, events: number) => void } = {},
): Promise<StreamHistory> {
  const chunkItems = options.chunkItems ?? COMPACT_CHUNK_ITEMS;
  const [ids, events] = await Promise.all([workItemIdsOf(store.db, stream.id), listFlowEvents(store.db, stream.id)]);
  options.onSize?.(ids.length, events.length);
  const lookup = getStageLookup(stream.map);
  const items: WorkItem[] = [];
  const built: Timeline[] = [];
  for (let i = 0; i < ids.length; i += chunkItems) {
    const chunk = await loadWorkItemChunk(store.db, stream.id, { first: ids[i]!, last: ids[Math.min(i + chunkItems, ids.length) - 1]! });
    for (const item of chunk) {
      if (item.isEpic) {
        items.push(compactItem(item));
        continue;
      }
      const timeline = compactTimeline(buildTimeline(item, stream.map, lookup));
      items.push(timeline.item);
      built.push(timeline);
    }
  }
  const history: StreamHistory = { id: stream.id, name: stream.map.name, map: stream.map, items, events, compact: true };
  timelines.set(history, built);
  return history;
}

/**
 * The flow items a windowed history left out, by the done stage they sit in (none for a whole
 * history): counted from the index when first asked (only the CFD needs them) and kept on the
 * history, whose stream version and window they belong to.
 * @example cfd(flowTimelines(history), map, window, await leftOutOf(store, history))
 */
export async function leftOutOf(store: Store, history: StreamHistory): Promise<Record<string, number>> {
  if (history.from === undefined) return {};
  if (history.leftOut) return history.leftOut;
  history.leftOut = byStage(history.map, await countLeftOut(store.db, history.id, { at: history.from, map: history.map }));
  return history.leftOut;
}

/**
 * Loads a stream's map, work items with their transitions, and logged events (with `compact`, its
 * compact history: loadCompactHistoryOf); null when there is no stream of that name.
 */
export async function loadStreamHistory(store: Store, name: string, options: { compact?: boolean } = {}): Promise<StreamHistory | null> {
  const stream = await getStream(store.db, name);
  if (!stream) return null;
  return options.compact ? loadCompactHistoryOf(store, stream) : loadStreamHistoryOf(store, stream);
}

const timelines = new WeakMap<object, Timeline[]>();

/**
 * The timelines of a history's flow items (epics left out: they are containers), built once per
 * history object. A copy with other items (a replay's history as of a day) gets its own.
 * @example const { items } = history; flowTimelines(history).length <= items.length
 */
export function flowTimelines(history: Pick<StreamHistory, 'items' | 'map'>): Timeline[] {
  let built = timelines.get(history);
  if (!built) {
    built = buildTimelines(
      history.items.filter((item) => !item.isEpic),
      history.map,
    );
    timelines.set(history, built);
  }
  return built;
}
