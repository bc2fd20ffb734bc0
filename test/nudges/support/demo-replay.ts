/**
 * Replays the demo stream's history up to a point in time: items created by then, with the
 * transitions that happened by then. Importing again later adds only what is new, as a
 * tracker's webhooks would have.
 */
import type { WorkItem } from '../../../src/core/types.ts';
import { generateDemoStream, type DemoStream } from '../../../src/demo/demo-stream.ts';
import type { Store } from '../../../src/store/database.ts';
import { addFlowEvent, listFlowEvents } from '../../../src/store/flow-events.ts';
import { saveStream } from '../../../src/store/value-streams.ts';
import { importWorkItems } from '../../../src/store/work-items.ts';

export const DAY = 86_400_000;

/** The demo's history as it stood at `at`. */
export function historyAt(items: readonly WorkItem[], at: number): WorkItem[] {
  return items
    .filter((item) => item.createdAt <= at)
    .map((item) => ({ ...item, transitions: item.transitions.filter((t) => t.at <= at) }));
}

export interface DemoReplay {
  demo: DemoStream;
  streamId: number;
  /** stores everything that happened up to `at` (items, transitions, events) */
  advanceTo(at: number): Promise<void>;
}

/** Saves the demo map and returns a replayer; nothing is imported until advanceTo. */
export async function startDemoReplay(store: Store, end: number, name = 'demo'): Promise<DemoReplay> {
  const demo = generateDemoStream({ end });
  const streamId = await saveStream(store.db, { ...demo.map, name });
  return {
    demo,
    streamId,
    async advanceTo(at) {
      await importWorkItems(store, streamId, historyAt(demo.items, at), { source: 'demo', now: at });
      const logged = await listFlowEvents(store.db, streamId);
      for (const event of demo.events) {
        if (event.at <= at && !logged.some((e) => e.at === event.at && e.text === event.text)) await addFlowEvent(store.db, streamId, event, at);
      }
    },
  };
}
