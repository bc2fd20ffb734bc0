/**
 * Delivers webhook bodies to a stream the way the processor does (the
 * vendor's parse → normalize → applyTrackerEvents), so a backfill's stored
 * history can be compared with the webhooks' for the same items.
 */
import type { Store } from '../../../src/store/database.ts';
import { TRACKER_ADAPTERS } from '../../../src/trackers/adapters.ts';
import { applyTrackerEvents } from '../../../src/trackers/apply-events.ts';
import type { Vendor } from '../../../src/trackers/tracker-event.ts';

export async function applyWebhooks(store: Store, streamId: number, vendor: Vendor, deliveries: { body: unknown; headers?: Record<string, string> }[]): Promise<void> {
  const adapter = TRACKER_ADAPTERS[vendor];
  for (const delivery of deliveries) {
    const parsed = adapter.parse(delivery.body, delivery.headers ?? {});
    if (parsed.kind !== 'ok') throw new Error(`${vendor} webhook not ok: ${parsed.kind} ${'reason' in parsed ? parsed.reason : ''}`);
    await store.db.transaction().execute((trx) => applyTrackerEvents(trx, streamId, adapter.normalize(parsed.payload, {}), Date.now()));
  }
}
