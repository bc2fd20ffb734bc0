/**
 * Deliveries whose content can never be applied (stored by a version that did not check them,
 * or failing in the database itself) are marked failed for good at once, with the reason, and
 * never hold back the deliveries after them; a person lists them (`flow-nudge deliveries
 * --failed`) and retries them by hand.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/database.ts';
import { saveStream } from '../../src/store/value-streams.ts';
import { insertDeliveries, listFailedDeliveries, retryDeliveries, type NewDelivery } from '../../src/store/webhook-deliveries.ts';
import { startDeliveryProcessor, type DeliveryProcessor } from '../../src/trackers/delivery-processor.ts';
import { isPassingFailure } from '../../src/trackers/delivery-failure.ts';
import type { IngestStream } from '../../src/trackers/process-delivery.ts';
import { openTestStore, testDialects } from '../support/databases.ts';
import { memoryLogger } from '../http/support/test-server.ts';
import { freshDatabaseUrl, runCliInProcess } from '../cli/support/run-cli.ts';
import { readFixture } from './support/vendor-requests.ts';

const MAP = { name: 'web', timeZone: 'UTC', stages: [{ name: 'Doing', kind: 'touch' as const, statuses: ['To Do', 'In Progress'] }, { name: 'Done', kind: 'done' as const, statuses: ['Done'] }] };
const FIXTURE = JSON.parse(readFixture('jira', 'issue_updated_status.json'));

function jira(deliveryId: string, change: (body: any) => void): NewDelivery {
  const body = structuredClone(FIXTURE);
  change(body);
  return { source: 'jira', deliveryId, receivedAt: 1, headers: {}, rawBody: JSON.stringify(body) };
}

/** 250 acknowledged by an older version: half with a NUL in the title, half with a time past 2^53. */
function poison(): NewDelivery[] {
  return Array.from({ length: 250 }, (_, i) =>
    jira(`poison-${i}`, (body) => {
      body.issue.key = `TES-${1000 + i}`;
      if (i % 2 === 0) body.issue.fields.summary = `broken\u0000title ${i}`;
      else body.timestamp = 9007199254740992;
    }),
  );
}

function valid(count: number): NewDelivery[] {
  return Array.from({ length: count }, (_, i) =>
    jira(`valid-${i}`, (body) => {
      body.issue.key = `TES-${i}`;
      body.timestamp = 1550286862039 + i * 1000;
    }),
  );
}

async function streamsOf(store: Store): Promise<IngestStream[]> {
  const id = await saveStream(store.db, MAP);
  return [{ name: 'web', id, map: MAP, mapOrigin: 'web.yaml', sources: [{ vendor: 'jira' }] }];
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function waitUntilDone(store: Store, prefix: string, count: number, timeoutMs: number): Promise<number> {
  const started = performance.now();
  for (;;) {
    const row = await store.db
      .selectFrom('webhook_delivery')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('delivery_id', 'like', `${prefix}%`)
      .where('state', '=', 'done')
      .executeTakeFirstOrThrow();
    const elapsed = performance.now() - started;
    if (Number(row.n) === count || elapsed > timeoutMs) return elapsed;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

for (const dialect of testDialects()) {
  describe(`poison deliveries (${dialect})`, () => {
    it('after 250 poison deliveries, 10 valid ones are processed within 1 s; the poison ones failed for good at once, with the reason', async () => {
      const store = await openTestStore(dialect);
      cleanups.push(() => store.close());
      const streams = await streamsOf(store);
      await insertDeliveries(store.db, poison());
      const log = memoryLogger();
      const processor: DeliveryProcessor = startDeliveryProcessor({ store, streams, log, pollMs: 50 });
      cleanups.push(() => processor.stop());
      await processor.idle();

      const failed = await listFailedDeliveries(store.db);
      expect(failed).toHaveLength(250);
      expect(failed.every((d) => d.attempts === 1)).toBe(true);
      expect(failed.find((d) => d.deliveryId === 'poison-0')!.error).toContain('TES-1000: title contains U+0000');
      expect(failed.find((d) => d.deliveryId === 'poison-1')!.error).toContain('TES-1001: the event time 9007199254740992 is not a time');
      expect(log.lines.filter((l) => l.includes('failed for good'))).toHaveLength(250);

      await insertDeliveries(store.db, valid(10));
      processor.wake();
      const elapsed = await waitUntilDone(store, 'valid-', 10, 5_000);
      expect(elapsed).toBeLessThan(1_000);
      // Nothing was retried behind their back.
      expect((await listFailedDeliveries(store.db)).every((d) => d.attempts === 1)).toBe(true);
    });

    it('a failure for a passing reason is retried; the content of the delivery is not', () => {
      expect(isPassingFailure(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(true);
      expect(isPassingFailure(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(true);
      expect(isPassingFailure(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }))).toBe(true);
      expect(isPassingFailure(new Error('Connection terminated unexpectedly'))).toBe(true);
      expect(isPassingFailure(Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' }))).toBe(false);
      expect(isPassingFailure(new Error('work item TES-1: transition to "Done" is 9007199254740992, not a time: give whole epoch milliseconds'))).toBe(false);
    });

    it('retried by hand, a failed delivery is processed again', async () => {
      const store = await openTestStore(dialect);
      cleanups.push(() => store.close());
      const streams = await streamsOf(store);
      await insertDeliveries(store.db, poison().slice(0, 2));
      const processor = startDeliveryProcessor({ store, streams, log: memoryLogger(), pollMs: 20 });
      cleanups.push(() => processor.stop());
      await processor.idle();
      const [first] = await listFailedDeliveries(store.db);
      // the fix: the row is corrected (as an operator would after fixing the tracker), then retried
      await store.db.updateTable('webhook_delivery').set({ raw_body: valid(1)[0]!.rawBody }).where('id', '=', first!.id).execute();
      expect(await retryDeliveries(store.db, [first!.id, 999_999])).toEqual([first!.id]);
      await processor.idle();
      const row = await store.db.selectFrom('webhook_delivery').select(['state', 'attempts']).where('id', '=', first!.id).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ state: 'done', attempts: 1 });
      expect(await listFailedDeliveries(store.db)).toHaveLength(1);
    });
  });
}

describe('flow-nudge deliveries', () => {
  it('--failed lists them with the reason; --retry puts them back; a bad id is refused naming it', async () => {
    const url = freshDatabaseUrl();
    const store = await openStore(url);
    cleanups.push(() => store.close());
    await insertDeliveries(store.db, poison().slice(0, 3));
    const processor = startDeliveryProcessor({ store, streams: await streamsOf(store), log: memoryLogger(), pollMs: 20 });
    await processor.idle();
    await processor.stop();
    const env = { DATABASE_URL: url };

    const listed = await runCliInProcess(['deliveries', '--failed'], { env });
    expect(listed.code).toBe(0);
    const lines = listed.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^\d+\tjira\tpoison-0\treceived .*\t1 attempt\tTES-1000: title contains U\+0000/);
    expect(listed.stderr).toContain('3 failed for good');

    const id = lines[0]!.split('\t')[0]!;
    const retried = await runCliInProcess(['deliveries', '--retry', id, '--json'], { env });
    expect(retried).toMatchObject({ code: 0, stdout: `{"retried":[${id}]}\n` });
    const row = await store.db.selectFrom('webhook_delivery').select(['state', 'attempts']).where('id', '=', Number(id)).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ state: 'pending', attempts: 0 });

    const bad = await runCliInProcess(['deliveries', '--retry', 'seven'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--retry "seven" is not a delivery id');
    const all = await runCliInProcess(['deliveries', '--retry', 'all', '--json'], { env });
    expect(JSON.parse(all.stdout).retried).toHaveLength(2);
  });
});
