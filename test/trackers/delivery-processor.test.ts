/**
 * The inbox processor on a real store: a delivery whose processing fails is
 * marked failed with the error, retried after its back-off, and done once the
 * cause is gone; in a batch, one failing delivery does not hold back the others.
 */
import type { KyselyPlugin, RootOperationNode } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/database.ts';
import { saveStream } from '../../src/store/value-streams.ts';
import { insertDelivery } from '../../src/store/webhook-deliveries.ts';
import { getWorkItem } from '../../src/store/work-items.ts';
import { startDeliveryProcessor } from '../../src/trackers/delivery-processor.ts';
import type { IngestStream } from '../../src/trackers/process-delivery.ts';
import { openTestStore, testDialects } from '../support/databases.ts';
import { memoryLogger } from '../http/support/test-server.ts';
import { readFixture } from './support/vendor-requests.ts';

const MAP = { name: 'web', timeZone: 'UTC', stages: [{ name: 'Doing', kind: 'touch' as const, statuses: ['To Do', 'In Progress'] }, { name: 'Done', kind: 'done' as const, statuses: ['Done'] }] };

for (const dialect of testDialects()) {
  describe(`delivery processor (${dialect})`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await openTestStore(dialect);
    });
    afterEach(async () => store.close());

    const deliveryRow = async (deliveryId: string) =>
      store.db.selectFrom('webhook_delivery').select(['state', 'attempts', 'error']).where('delivery_id', '=', deliveryId).executeTakeFirstOrThrow();

    it('a failure is recorded, retried after the back-off, and done once the cause is gone; the others of its batch are done at once', async () => {
      const webId = await saveStream(store.db, { ...MAP, name: 'web' });
      const streams: IngestStream[] = [
        { name: 'web', id: webId, map: MAP, mapOrigin: 'web.yaml', sources: [{ vendor: 'jira', project: 'TES', secretEnv: 'A' }] },
        // a stream whose row does not exist: storing its items fails (foreign key)
        { name: 'ru', id: 987_654, map: MAP, mapOrigin: 'ru.yaml', sources: [{ vendor: 'jira', project: 'DTP', secretEnv: 'B' }] },
      ];
      const headers = (secretEnv: string) => ({ 'x-flow-nudge-verified-by': secretEnv });
      await insertDelivery(store.db, { source: 'jira', deliveryId: 'good', receivedAt: 1, headers: headers('A'), rawBody: readFixture('jira', 'issue_updated_status.json') });
      await insertDelivery(store.db, { source: 'jira', deliveryId: 'bad', receivedAt: 1, headers: headers('B'), rawBody: readFixture('jira', 'epic_created.json') });
      let clock = Date.UTC(2026, 0, 1);
      const log = memoryLogger();
      const transitions: [string, string[]][] = [];
      const processor = startDeliveryProcessor({ store, streams, log, now: () => clock, pollMs: 20, onTransitions: (s, k) => void transitions.push([s, k]) });
      try {
        await processor.idle();
        expect(await deliveryRow('good')).toMatchObject({ state: 'done', attempts: 1 });
        const bad = await deliveryRow('bad');
        expect(bad).toMatchObject({ state: 'failed', attempts: 1 });
        expect(bad.error).toBeTruthy();
        expect(log.lines.join('\n')).toContain(`delivery ${(await store.db.selectFrom('webhook_delivery').select('id').where('delivery_id', '=', 'bad').executeTakeFirstOrThrow()).id} failed; retried in 2 s`);
        expect(transitions).toEqual([['web', ['TES-41']]]);

        // the cause goes away (the stream exists); nothing happens before the back-off (2 s) has passed
        streams[1].id = await saveStream(store.db, { ...MAP, name: 'ru' });
        clock += 500;
        await processor.idle();
        expect((await deliveryRow('bad')).state).toBe('failed');
        clock += 2_000;
        await processor.idle();
        expect(await deliveryRow('bad')).toMatchObject({ state: 'done', attempts: 2, error: null });
        expect(await getWorkItem(store.db, streams[1].id, 'DTP-1')).toMatchObject({ isEpic: true });
      } finally {
        await processor.stop();
      }
    });

    it('200 deliveries touching the same 3 items, processed in concurrent batches, are all applied once', async () => {
      const webId = await saveStream(store.db, MAP);
      const streams: IngestStream[] = [{ name: 'web', id: webId, map: MAP, mapOrigin: 'web.yaml', sources: [{ vendor: 'jira' }] }];
      const fixture = readFixture('jira', 'issue_updated_status.json');
      for (let i = 0; i < 200; i++) {
        const body = fixture.replaceAll('"TES-41"', `"TES-${i % 3}"`).replace('"timestamp": 1550286862039', `"timestamp": ${1550286862039 + i * 1000}`);
        await insertDelivery(store.db, { source: 'jira', deliveryId: `c-${i}`, receivedAt: 1, headers: {}, rawBody: body });
      }
      const processor = startDeliveryProcessor({ store, streams, log: memoryLogger() });
      try {
        await processor.idle();
      } finally {
        await processor.stop();
      }
      const states = await store.db.selectFrom('webhook_delivery').select('state').execute();
      expect(states.filter((r) => r.state === 'done')).toHaveLength(200);
      const counts = await Promise.all([0, 1, 2].map(async (k) => (await getWorkItem(store.db, webId, `TES-${k}`))?.transitions.length));
      expect(counts).toEqual([67, 67, 66]);
    });

    it('a deadlock with a concurrent transaction is tried again at once, and idle() waits past a pass that ended in an error', async () => {
      const webId = await saveStream(store.db, MAP);
      const streams: IngestStream[] = [{ name: 'web', id: webId, map: MAP, mapOrigin: 'web.yaml', sources: [{ vendor: 'jira' }] }];
      await insertDelivery(store.db, { source: 'jira', deliveryId: 'd', receivedAt: 1, headers: {}, rawBody: readFixture('jira', 'issue_updated_status.json') });
      // Faults injected into the real database layer: the first read of the inbox loses its connection; the first three
      // writes of a delivery's state are aborted as Postgres aborts a deadlock victim (nothing of the transaction kept).
      let readFaults = 1;
      let deadlocks = 3;
      const faults: KyselyPlugin = {
        transformQuery({ node }): RootOperationNode {
          const table = (node as { from?: { froms?: { table?: { identifier?: { name?: string } } }[] } }).from?.froms?.[0]?.table?.identifier?.name;
          if (node.kind === 'SelectQueryNode' && table === 'webhook_delivery' && readFaults > 0) {
            readFaults--;
            throw Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
          }
          const updated = node.kind === 'UpdateQueryNode' ? (node.table as { table?: { identifier?: { name?: string } } } | undefined)?.table?.identifier?.name : undefined;
          if (updated === 'webhook_delivery' && deadlocks > 0) {
            deadlocks--;
            throw Object.assign(new Error('deadlock detected'), { code: '40P01' });
          }
          return node;
        },
        async transformResult({ result }) {
          return result;
        },
      };
      const log = memoryLogger();
      const processor = startDeliveryProcessor({ store: { ...store, db: store.db.withPlugin(faults) }, streams, log, pollMs: 20 });
      try {
        await processor.idle();
        expect(readFaults).toBe(0);
        expect(deadlocks).toBe(0);
        expect(await deliveryRow('d')).toMatchObject({ state: 'done', error: null });
        expect((await getWorkItem(store.db, webId, 'TES-41'))?.transitions).toHaveLength(1);
        expect(log.lines.join('\n')).not.toContain('failed; retried');
      } finally {
        await processor.stop();
      }
    });

    it('a delivery left pending by a crash is processed when the processor starts; one already done is not applied again', async () => {
      const webId = await saveStream(store.db, MAP);
      const streams: IngestStream[] = [{ name: 'web', id: webId, map: MAP, mapOrigin: 'web.yaml', sources: [{ vendor: 'jira' }] }];
      await insertDelivery(store.db, { source: 'jira', deliveryId: 'left', receivedAt: 1, headers: {}, rawBody: readFixture('jira', 'issue_created.json') });
      const first = startDeliveryProcessor({ store, streams, log: memoryLogger() });
      await first.idle();
      await first.stop();
      const second = startDeliveryProcessor({ store, streams, log: memoryLogger() });
      await second.idle();
      await second.stop();
      expect(await deliveryRow('left')).toMatchObject({ state: 'done', attempts: 1 });
      expect((await getWorkItem(store.db, webId, 'TES-41'))?.transitions).toHaveLength(1);
    });
  });
}
