/**
 * Retention over a simulated quarter, on the real store (SQLite and Postgres): every day the
 * bot sends nudges, stores chart images, takes webhook deliveries, records nudge keys, answers
 * slash commands as jobs and runs its scheduled jobs (daily, weekly and one that is due until
 * an experiment ends), and the daily retention job (two replicas racing for it, restarted every
 * day so only the database remembers) forgets what it may. Each table's row count is steady;
 * what is still needed (failed nudges, keys a nudge still relies on, the claims of periods
 * still due) stays, so no job runs a period twice, also with a retention age shorter than a week.
 * And the prefix lookup of nudge keys is served by an index on both dialects.
 */
import { sql, CompiledQuery } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { saveChartImage } from '../../src/chat/teams/chart-images.ts';
import { retentionDaysOf } from '../../src/config/env.ts';
import { createJobRunner } from '../../src/jobs/run-due-jobs.ts';
import { retentionJob } from '../../src/jobs/retention-job.ts';
import type { JobDefinition } from '../../src/jobs/job-types.ts';
import { claimCommandJobs, enqueueCommandJob, finishCommandJob } from '../../src/store/command-jobs.ts';
import { listJobRuns } from '../../src/store/job-runs.ts';
import type { Store } from '../../src/store/database.ts';
import { keyHasPrefix, listNudgesSent, recordNudgeSent, recordNudgesSent, touchNudgesSent } from '../../src/store/nudges-sent.ts';
import { claimDueOutbox, enqueueOutbox, listOutbox, markOutboxFailed, markOutboxSent } from '../../src/store/outbox.ts';
import { insertDeliveries, markDeliveriesDone } from '../../src/store/webhook-deliveries.ts';
import { openTestStore, testDialects } from '../support/databases.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 5, 3);
/** Scheduled jobs as the bot's are shaped: two channels each; `ran` counts each period's runs. */
function scheduledJobs(ran: Map<string, number>): JobDefinition[] {
  const count = (key: string) => async () => void ran.set(key, (ran.get(key) ?? 0) + 1);
  const day = (now: number) => Math.floor((now - T0) / DAY);
  const periods = (job: string, key: (channel: string) => string, channels = ['C1', 'C2']) => channels.map((c) => ({ key: key(c), run: count(`${job}/${key(c)}`) }));
  return [
    // like aging and signal-sweep: a period per channel and date
    { name: 'daily', periodDays: 1, duePeriods: async (_ctx, now) => periods('daily', (c) => `${c}:${day(now)}`) },
    // like the check-in: a period per channel and week, due from the channel's day (C1 the 1st, C2 the 3rd) to the week's end
    {
      name: 'weekly',
      periodDays: 7,
      duePeriods: async (_ctx, now) => periods('weekly', (c) => `${c}:W${Math.floor(day(now) / 7)}`, day(now) % 7 >= 2 ? ['C1', 'C2'] : ['C1']),
    },
    // like an experiment's review: due until the experiment ends (here: never)
    { name: 'review', duePeriods: async () => [{ key: 'experiment-1', run: count('review/experiment-1') }] },
  ];
}

const payload = JSON.stringify({ text: 'Weekly check-in', chart: { pngBase64: Buffer.alloc(3000, 7).toString('base64'), summary: 'Lead time', kind: 'xmr' } });

for (const dialect of testDialects()) {
  describe(`retention (${dialect})`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await openTestStore(dialect);
    });
    afterEach(async () => store.close());

    const rows = async (table: 'outbox' | 'webhook_delivery' | 'nudge_sent' | 'teams_chart_image' | 'job_run' | 'command_job') =>
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
      // slash commands answered as jobs: three answered, one that could not be
      for (let i = 0; i < 4; i++) await enqueueCommandJob(store.db, { platform: 'slack', payloadJson: `{"text":"leadtime ${day}.${i}"}`, now });
      for (const [i, job] of (await claimCommandJobs(store.db, { now, leaseMs: 30_000, limit: 10, platform: 'slack' })).entries()) {
        await finishCommandJob(store.db, job, { at: now, ...(i === 3 && { error: 'response_url answered 404' }) });
      }
    }

    /** Both replicas' tick at `at`, each freshly started (nothing remembered but the database). */
    const tick = async (jobs: JobDefinition[], at: number, retentionDays?: number) => {
      const replica = (id: string) =>
        createJobRunner({ store, charts: null, replicaId: id, wallClock: () => at, ...(retentionDays !== undefined && { retentionDays }) }, [...jobs, retentionJob]);
      return (await Promise.all([replica('a').runDueJobs(at), replica('b').runDueJobs(at)])).flat();
    };

    it('keeps each table steady over a quarter, and what is still needed stays', async () => {
      await recordNudgeSent(store.db, 'aging', 'aging:slack:C1:1:STUCK-1:85', T0);
      await enqueueOutbox(store.db, { kind: 'signal', platform: 'teams', target: '{"platform":"teams","channelId":"19:x"}', payloadJson: payload, dedupKey: 'refused' }, T0);
      const [refused] = await claimDueOutbox(store.db, { now: T0, limit: 1, leaseMs: 60_000, platforms: ['teams'] });
      await markOutboxFailed(store.db, { id: refused!.id, leaseToken: refused!.leaseToken! }, 'Teams answered 403: add the app again');

      const periodRuns = new Map<string, number>();
      const jobs = scheduledJobs(periodRuns);
      const tables = ['outbox', 'webhook_delivery', 'nudge_sent', 'teams_chart_image', 'job_run', 'command_job'] as const;
      const counts: Record<string, number[]> = Object.fromEntries(tables.map((t) => [t, []]));
      const ran: string[] = [];
      for (let day = 0; day < 40 + 91; day++) {
        const now = T0 + day * DAY;
        await botDay(day, now);
        const results = await tick(jobs, now + 3_600_000);
        ran.push(...results.filter((r) => r.status === 'ran' && r.job === 'retention').map((r) => r.periodKey));
        if (day >= 40 && (day - 40) % 7 === 0) for (const table of tables) counts[table]!.push(await rows(table));
      }
      // once a day, across both replicas
      expect(ran).toHaveLength(131);
      expect(new Set(ran).size).toBe(131);
      // no period of any job ran twice, though the replicas restarted every day
      expect([...periodRuns.values()].filter((n) => n !== 1)).toEqual([]);
      expect(periodRuns.size).toBe(131 * 2 + 19 * 2 + 1);
      // steady over the quarter: every weekly count the same as the first
      for (const [table, series] of Object.entries(counts)) expect([table, new Set(series).size, series.length]).toEqual([table, 1, 13]);
      expect(counts.outbox![0]).toBe(12 * 30 + 1); // the last 30 days, plus the failed one
      expect(counts.webhook_delivery![0]).toBe(20 * 30);
      expect(counts.command_job![0]).toBe(4 * 30);
      // the runs of the last 30 days (the claims of day -30 lie on the cutoff and stay; retention's own runs too), and the open experiment's review
      const runs = await listJobRuns(store.db);
      const byJob = (job: string) => runs.filter((r) => r.job === job).length;
      // weekly on day 130: C1's claims of days 105…126 and C2's of days 100…128
      expect([byJob('daily'), byJob('weekly'), byJob('review'), byJob('retention')]).toEqual([2 * 31, 4 + 5, 1, 31]);
      expect(counts.job_run![0]).toBe(2 * 31 + 4 + 4 + 1 + 31); // on day 40: weekly claims of days 14…35 (C1) and 16…37 (C2)
      // sent payloads are gone, the failed nudge is kept whole with its reason
      const outbox = await listOutbox(store.db);
      expect(outbox.filter((r) => r.state === 'sent' && r.payloadJson !== '')).toEqual([]);
      expect(outbox.find((r) => r.dedupKey === 'refused')).toMatchObject({ state: 'failed', payloadJson: payload, error: 'Teams answered 403: add the app again' });
      // the key still needed survived the quarter; spent keys went
      expect((await listNudgesSent(store.db, 'aging:slack:C1:1:STUCK-')).map((k) => k.dedupKey)).toEqual(['aging:slack:C1:1:STUCK-1:85']);
      expect(await listNudgesSent(store.db, 'aging:slack:C1:1:ITEM-0-')).toEqual([]);
    }, 240_000);

    it('a retention age shorter than a week keeps the claims of periods still due: the weekly job runs each week once', async () => {
      const periodRuns = new Map<string, number>();
      const jobs = scheduledJobs(periodRuns);
      for (let day = 0; day < 35; day++) await tick(jobs, T0 + day * DAY + 3_600_000, 2);
      expect([...periodRuns.entries()].filter(([, n]) => n !== 1)).toEqual([]);
      expect(periodRuns.size).toBe(35 * 2 + 5 * 2 + 1);
      const runs = await listJobRuns(store.db);
      const byJob = (job: string) => runs.filter((r) => r.job === job).map((r) => r.periodKey);
      // daily claims: the last 2 days (and the one on the cutoff); weekly: the last 8 days' (the current week's stay while it lasts)
      expect(byJob('daily')).toEqual(['C1:32', 'C2:32', 'C1:33', 'C2:33', 'C1:34', 'C2:34']);
      expect(byJob('weekly')).toEqual(['C1:W4', 'C2:W4']);
      expect(byJob('review')).toEqual(['experiment-1']);
    });

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
