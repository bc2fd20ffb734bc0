/**
 * The inbox writer on the real store (SQLite and Postgres): deliveries written together are
 * stored once each, a repeated delivery id is a duplicate (in the same batch or a later one),
 * what is stored reads back as it was sent, and on SQLite a write waits for a transaction the
 * processor has open instead of landing inside it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createInboxWriter } from '../../src/http/inbox-writer.ts';
import type { Store } from '../../src/store/database.ts';
import { claimDeliveries, listDeliveriesToProcess, type NewDelivery } from '../../src/store/webhook-deliveries.ts';
import { readFixture } from '../trackers/support/vendor-requests.ts';
import { openTestStore, testDialects } from '../support/databases.ts';

const body = readFixture('jira', 'issue_updated_status.json');
const delivery = (deliveryId: string, source = 'jira'): NewDelivery => ({
  source,
  deliveryId,
  receivedAt: 1_767_000_000_000,
  headers: { 'x-atlassian-webhook-identifier': deliveryId, 'x-flow-nudge-verified-by': 'JIRA_SECRET' },
  rawBody: body.replaceAll('"TES-41"', `"TES-${deliveryId}"`),
});

async function storedDeliveries(store: Store) {
  const ids = await listDeliveriesToProcess(store.db, { now: Date.now(), limit: 1000 });
  return store.db.transaction().execute((trx) => claimDeliveries(trx, ids));
}

for (const dialect of testDialects()) {
  describe(`inbox writer (${dialect})`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await openTestStore(dialect);
    });
    afterEach(async () => store.close());

    it('stores each delivery id once, whether repeated in one batch or a later one', async () => {
      const inbox = createInboxWriter(store);
      // written in the same turn: one batch, with 'a' twice and 'a' again for another source
      const first = await Promise.all([inbox.write(delivery('a')), inbox.write(delivery('b')), inbox.write(delivery('a')), inbox.write(delivery('a', 'github'))]);
      expect(first.map((r) => r.duplicate)).toEqual([false, false, true, false]);
      const later = await Promise.all([inbox.write(delivery('b')), inbox.write(delivery('c'))]);
      expect(later.map((r) => r.duplicate)).toEqual([true, false]);

      const stored = await storedDeliveries(store);
      expect(stored.map((d) => `${d.source}/${d.deliveryId}`)).toEqual(['jira/a', 'jira/b', 'github/a', 'jira/c']);
      const b = stored[1];
      expect(b).toMatchObject({ state: 'pending', attempts: 0, receivedAt: 1_767_000_000_000, error: null, processedAt: null });
      expect(b.headers).toEqual(delivery('b').headers);
      expect(b.rawBody).toBe(delivery('b').rawBody);
    });

    it('stores a batch larger than one statement takes, in order', async () => {
      const inbox = createInboxWriter(store);
      const results = await Promise.all(Array.from({ length: 150 }, (_, i) => inbox.write(delivery(`d${i}`))));
      expect(results.every((r) => !r.duplicate)).toBe(true);
      const stored = await storedDeliveries(store);
      expect(stored.map((d) => d.deliveryId)).toEqual(Array.from({ length: 150 }, (_, i) => `d${i}`));
    });

    it('waits for an open transaction instead of writing inside it (rolled back, the delivery stays)', async () => {
      const inbox = createInboxWriter(store);
      let written: Promise<{ duplicate: boolean }> | undefined;
      await expect(
        store.db.transaction().execute(async (trx) => {
          await trx.selectFrom('webhook_delivery').select('id').execute();
          written = inbox.write(delivery('during'));
          await new Promise((resolve) => setTimeout(resolve, 50));
          throw new Error('processing failed');
        }),
      ).rejects.toThrow('processing failed');
      expect(await written).toEqual({ duplicate: false });
      expect((await storedDeliveries(store)).map((d) => d.deliveryId)).toEqual(['during']);
    });
  });
}
