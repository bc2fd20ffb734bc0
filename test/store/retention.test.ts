/**
 * Retention over a simulated quarter, on the real store (SQLite and Postgres): every day the
 * bot sends nudges, stores chart images, takes webhook deliveries and records nudge keys, and
 * the daily retention job (two replicas racing for it) forgets what it may. Each table's row
 * count is steady; what is still needed (failed nudges, keys a nudge still relies on) stays.
 * And the prefix lookup of nudge keys is served by an index on both dialects.
 */
import { sql, CompiledQuery } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { saveChartImage } from '../../src/chat/teams/chart-images.ts';
import { retentionDaysOf } from '../../src/config/env.ts';
import { createJobRunner } from '../../src/jobs/run-due-jobs.ts';
import { retentionJob } from '../../src/jobs/retention-job.ts';
import type { Store } from '../../src/store/database.ts';
import { keyHasPrefix, listNudgesSent, recordNudgeSent, recordNudgesSent, touchNudgesSent } from '../../src/store/nudges-sent.ts';
import { claimDueOutbox, enqueueOutbox, listOutbox, markOutboxFailed, markOutboxSent } from '../../src/store/outbox.ts';
import { insertDeliveries, markDeliveriesDone } from '../../src/store/webhook-deliveries.ts';
import { openTestStore, testDialects } from '../support/databases.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 5, 3);
const payload = JSON.stringify({ text: 'Weekly check-in', chart: { pngBase64: Buffer.alloc(3000, 7).toString('base64'), summary: 'Lead time', kind: 'xmr' } });

for (const dialect of testDialects()) {
  describe(`retention (${dialect})`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await openTestStore(dialect);
    });
    afterEach(async () => store.close());

    const rows = async (table: 'outbox' | 'webhook_delivery' | 'nudge_sent' | 'teams_chart_image') =>
      Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(store.db)).rows[0]!.n);

    /** One day of the bot's writes. */
    async function botDay(day: number, now: number): Promise<void> {
      for (let i = 0; i < 12; i++) await enqueueOutbox(store.db, { kind: 'checkin', platform: 'slack', target: '{"platform":"slack","channelId":"C1"}', payloadJson: payload, dedupKey: `checkin:${day}:${i}`}, now);
      for (const row of await claimDueOutbox(store.db, { now, limit: 100, leaseMs: 60_000, platforms: ['slack'] })) await markOutboxSent(store.db, { id: row.id, leaseToken: row.leaseToken! }, now);
      for (let i = 0; i < 4; i++) await saveChartImage(store.db, Buffer.alloc(500, i), now, 30 * DAY);
      await insertDeliveries(store.db, Array.from({ length: 20 }, (_, i) => ({ source: 'jira', deliveryId: `d-${day}-${i}`, receivedAt: now, headers: {}, rawBody: '{"webhookEvent":"jira:issue_updated"}' })));
      const pending = await store.db.selectFrom('webhook_delivery').select('id').where('state', '=', 'pending').execute();
      await markDeliveriesDone(store.db, pending.map((r) => r.id), now);
      await recordNudgesSent(store.db, 'aging', Array.from({ length: 10 }, (_, i) => `aging:slack:C1:1:ITEM-${day}-${i}:85`), now);
      // an item still aging: its flag is still needed every day
      await touchNudgesSent(store.db, ['aging:slack:C1:1:STUCK-1:85'], now);
    }

    it('keeps each table steady over a quarter, and what is still needed stays', async () => {
      await recordNudgeSent(store.db, 'aging', 'aging:slack:C1:1:STUCK-1:85', T0);
      await enqueueOutbox(store.db, { kind: 'signal', platform: 'teams', target: '{"platform":"teams","channelId":"19:x"}', payloadJson: payload, dedupKey: 'refused' }, T0);
      const [refused] = await claimDueOutbox(store.db, { now: T0, limit: 1, leaseMs: 60_000, platforms: ['teams'] });
      await markOutboxFailed(store.db, { id: refused!.id, leaseToken: refused!.leaseToken! }, 'Teams answered 403: add the app again');

      const a = createJobRunner({ store, charts: null, replicaId: 'a' }, [retentionJob]);
      const b = createJobRunner({ store, charts: null, replicaId: 'b' }, [retentionJob]);
      const tables = ['outbox', 'webhook_delivery', 'nudge_sent', 'teams_chart_image'] as const;
      const counts: Record<string, number[]> = { outbox: [], webhook_delivery: [], nudge_sent: [], teams_chart_image: [] };
      const ran: string[] = [];
      for (let day = 0; day < 40 + 91; day++) {
        const now = T0 + day * DAY;
        await botDay(day, now);
        const results = (await Promise.all([a.runDueJobs(now + 3_600_000), b.runDueJobs(now + 3_600_000)])).flat();
        ran.push(...results.filter((r) => r.status === 'ran').map((r) => r.periodKey));
        if (day >= 40 && (day - 40) % 7 === 0) for (const table of tables) counts[table]!.push(await rows(table));
      }
      // once a day, across both replicas
      expect(ran).toHaveLength(131);
      expect(new Set(ran).size).toBe(131);
      // steady over the quarter: every weekly count the same as the first
      for (const [table, series] of Object.entries(counts)) expect([table, new Set(series).size, series.length]).toEqual([table, 1, 13]);
      expect(counts.outbox![0]).toBe(12 * 30 + 1); // the last 30 days, plus the failed one
      expect(counts.webhook_delivery![0]).toBe(20 * 30);
      // sent payloads are gone, the failed nudge is kept whole with its reason
      const outbox = await listOutbox(store.db);
      expect(outbox.filter((r) => r.state === 'sent' && r.payloadJson !== '')).toEqual([]);
      expect(outbox.find((r) => r.dedupKey === 'refused')).toMatchObject({ state: 'failed', payloadJson: payload, error: 'Teams answered 403: add the app again' });
      // the key still needed survived the quarter; spent keys went
      expect((await listNudgesSent(store.db, 'aging:slack:C1:1:STUCK-')).map((k) => k.dedupKey)).toEqual(['aging:slack:C1:1:STUCK-1:85']);
      expect(await listNudgesSent(store.db, 'aging:slack:C1:1:ITEM-0-')).toEqual([]);
    }, 240_000);

    it('looks nudge keys up by prefix through an index', async () => {
      await recordNudgesSent(store.db, 'signal', Array.from({ length: 300 }, (_, i) => `signal:slack:C_${i % 7}:1:leadtime:p0:below:run-of-8:K-${i}`), T0);
      const compiled = store.db.selectFrom('nudge_sent').selectAll().where(keyHasPrefix(store.db, 'signal:slack:C_3:1:')).compile();
      let plan: string;
      if (dialect === 'sqlite') {
        plan = JSON.stringify(store.sqlite!.prepare(`explain query plan ${compiled.sql}`).all(...(compiled.parameters as unknown[])));
        expect(plan).toMatch(/SEARCH nudge_sent USING INDEX/);
      } else {
        plan = await store.db.transaction().execute(async (trx) => {
          await sql`set local enable_seqscan = off`.execute(trx);
          const result = await trx.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain ${compiled.sql}`, [...compiled.parameters]));
          return result.rows.map((r) => r['QUERY PLAN']).join('\n');
        });
        expect(plan).toMatch(/nudge_sent_key_bytes_idx/);
      }
      // `_` is no wildcard and C_3 does not take C_30…: exactly the keys of C_3
      expect((await listNudgesSent(store.db, 'signal:slack:C_3:1:')).length).toBe(43);
    });

    it('a retention age that is not a whole number of days is refused, naming the variable and the fix', () => {
      expect(retentionDaysOf({})).toBe(30);
      expect(retentionDaysOf({ FLOW_NUDGE_RETENTION_DAYS: '90' })).toBe(90);
      expect(() => retentionDaysOf({ FLOW_NUDGE_RETENTION_DAYS: '0' })).toThrow(/FLOW_NUDGE_RETENTION_DAYS="0" is not valid.*whole number from 1 to 3650/);
      expect(() => retentionDaysOf({ FLOW_NUDGE_RETENTION_DAYS: 'a month' })).toThrow(/FLOW_NUDGE_RETENTION_DAYS="a month"/);
    });
  });
}
