import type { Store } from '../store/database.ts';
import { addFlowEvent, listFlowEvents } from '../store/flow-events.ts';
import { getStream, saveStream } from '../store/value-streams.ts';
import { getWorkItem, importWorkItems, setActualOutcome } from '../store/work-items.ts';
import { generateDemoStream, type DemoOptions } from './demo-stream.ts';

/**
 * Loads the demo stream into the store (idempotent: loading it again on the
 * same day adds nothing). Returns what was added.
 */
export async function loadDemo(store: Store, options: Partial<DemoOptions> & { now: number; name?: string }) {
  const demo = generateDemoStream({ end: options.end ?? options.now, days: options.days, arrivalsPerDay: options.arrivalsPerDay, seed: options.seed });
  const map = { ...demo.map, name: options.name ?? demo.map.name };
  // The history ends on the day it is loaded; a stream loaded on an earlier day is kept as it is.
  const existing = await getStream(store.db, map.name);
  if (existing) {
    const row = await store.db.selectFrom('work_item').where('stream_id', '=', existing.id).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    if (Number(row?.n ?? 0) > 0) return { streamId: existing.id, stream: map.name, items: Number(row?.n), itemsAdded: 0, itemsUpdated: 0, transitionsAdded: 0, events: demo.events, alreadyLoaded: true };
  }
  const streamId = await saveStream(store.db, map);
  const result = await importWorkItems(store, streamId, demo.items, { source: 'demo' });
  // the reviews of closed epics, each recorded at its own time (time to outcome counts to it)
  for (const review of demo.reviews) {
    if (!(await getWorkItem(store.db, streamId, review.key))?.actualOutcome) await setActualOutcome(store.db, streamId, review.key, review.text, review.at);
  }
  const logged = await listFlowEvents(store.db, streamId);
  for (const event of demo.events) {
    if (!logged.some((entry) => entry.text === event.text && entry.at === event.at)) await addFlowEvent(store.db, streamId, event);
  }
  return { streamId, stream: map.name, items: demo.items.length, ...result, events: demo.events, alreadyLoaded: false };
}
