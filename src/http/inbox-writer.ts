/**
 * Group commit for the webhook inbox: deliveries that arrive together are
 * inserted by one statement (one commit), and each request is answered only
 * after that commit. Under load this turns N commits into one; alone, a
 * delivery waits for nothing but its own insert.
 */
import type { Store } from '../store/database.ts';
import { insertDeliveries, type NewDelivery } from '../store/webhook-deliveries.ts';

const MAX_BATCH = 64;

export interface InboxWriter {
  /** resolves once the delivery is committed; duplicate: it was stored before */
  write(delivery: NewDelivery): Promise<{ duplicate: boolean }>;
}

export function createInboxWriter(store: Store): InboxWriter {
  let queue: { delivery: NewDelivery; resolve: (r: { duplicate: boolean }) => void; reject: (e: unknown) => void }[] = [];
  let writing = false;

  async function flush(): Promise<void> {
    if (writing || queue.length === 0) return;
    writing = true;
    try {
      while (queue.length > 0) {
        const batch = queue.slice(0, MAX_BATCH);
        queue = queue.slice(batch.length);
        try {
          const results = await insertDeliveries(store.db, batch.map((entry) => entry.delivery));
          batch.forEach((entry, i) => {
            entry.resolve(results[i]);
          });
        } catch (error) {
          for (const entry of batch) entry.reject(error);
        }
      }
    } finally {
      writing = false;
    }
  }

  return {
    write(delivery) {
      return new Promise((resolve, reject) => {
        queue.push({ delivery, resolve, reject });
        // Requests parsed in the same turn of the event loop join this batch.
        if (queue.length === 1) setImmediate(() => void flush());
      });
    },
  };
}
