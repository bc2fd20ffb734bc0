import type { FlowEvent, StreamMap, WorkItem } from '../core/types.ts';
import type { Store } from './database.ts';
import { listFlowEvents } from './flow-events.ts';
import { getStream } from './value-streams.ts';
import { loadWorkItems } from './work-items.ts';

/** Everything the metrics need of one value stream. */
export interface StreamHistory {
  id: number;
  map: StreamMap;
  /** every work item, epics included (the Feature Factory Ratio needs them) */
  items: WorkItem[];
  events: FlowEvent[];
}

/**
 * Loads a stream's map, work items with their transitions, and logged events;
 * null when there is no stream of that name.
 */
export async function loadStreamHistory(store: Store, name: string): Promise<StreamHistory | null> {
  const stream = await getStream(store.db, name);
  if (!stream) return null;
  const [items, events] = await Promise.all([loadWorkItems(store.db, stream.id), listFlowEvents(store.db, stream.id)]);
  return { id: stream.id, map: stream.map, items, events };
}
