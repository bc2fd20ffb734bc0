/**
 * Durable slash-command jobs at shutdown, on SQLite and Postgres: stop() claims nothing more,
 * hands back the jobs not started, gives the running one up to the grace, then hands it back
 * too (under its own token only), so another replica answers at once instead of after the
 * 30 s lease. And the claim itself: two replicas racing never hold one job.
 */
import type { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlackCommandJobs, type SlackCommandPayload } from '../../../src/chat/slack/command-jobs.ts';
import { createCommandQueue } from '../../../src/chat/slack/command-queue.ts';
import { claimCommandJobs, countCommandJobs, enqueueCommandJob, finishCommandJob, releaseCommandJobs } from '../../../src/store/command-jobs.ts';
import type { Store } from '../../../src/store/database.ts';
import { openTestStore, testDialects } from '../../support/databases.ts';

const log = { info() {}, warn() {}, error() {} };
const command = (text: string): SlackCommandPayload => ({ text, channelId: 'C1', userId: 'U1', triggerId: 't' });

for (const dialect of testDialects()) {
  describe(`slash-command jobs (${dialect})`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await openTestStore(dialect);
    });
    afterEach(async () => store.close());

    it('two replicas claiming at once never hold the same job; only the holder finishes or releases it', async () => {
      for (let i = 0; i < 30; i++) await enqueueCommandJob(store.db, { platform: 'slack', payloadJson: JSON.stringify(command(`j${i}`)), now: 1_000 });
      const [a, b] = await Promise.all([
        claimCommandJobs(store.db, { now: 2_000, leaseMs: 30_000, limit: 20, platform: 'slack' }),
        claimCommandJobs(store.db, { now: 2_000, leaseMs: 30_000, limit: 20, platform: 'slack' }),
      ]);
      const ids = [...a!, ...b!].map((j) => j.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBeGreaterThanOrEqual(20);
      const [job] = a!.length > 0 ? a! : b!;
      expect(await finishCommandJob(store.db, { id: job!.id, leaseToken: 'not-ours' }, { at: 3_000 })).toBe(false);
      expect(await releaseCommandJobs(store.db, [{ id: job!.id, leaseToken: 'not-ours' }])).toBe(0);
      expect(await releaseCommandJobs(store.db, [job!])).toBe(1);
      // handed back: due at once, the attempt not counted
      const [again] = await claimCommandJobs(store.db, { now: 2_001, leaseMs: 30_000, limit: 1, platform: 'slack' });
      expect(again).toMatchObject({ id: job!.id, attempts: 1 });
    });

    it('stop() hands back the running job that outlives the grace, and another replica answers it at once', async () => {
      await enqueueCommandJob(store.db, { platform: 'slack', payloadJson: JSON.stringify(command('leadtime')), now: Date.now() });
      let started!: () => void;
      const running = new Promise<void>((resolve) => (started = resolve));
      const answered: string[] = [];
      const jobsOf = (replica: string, answer: () => Promise<void>) =>
        createSlackCommandJobs({
          store,
          clock: () => Date.now(),
          log,
          queue: createCommandQueue({ isBusy: () => false, log, quietMs: 0 }),
          clientFor: async () => ({}) as webApi.WebClient,
          answer: async (_client, payload) => {
            await answer();
            answered.push(`${replica}:${payload.text}`);
          },
          pollMs: 50,
          stopGraceMs: 150,
        });
      const a = jobsOf('a', () => {
        started();
        return new Promise(() => {}); // the chart never finishes on this replica
      });
      a.start();
      await running;
      const stopAt = Date.now();
      await a.stop();
      const stopMs = Date.now() - stopAt;
      expect(stopMs).toBeGreaterThanOrEqual(140);
      expect(stopMs).toBeLessThan(2_000);
      expect(await countCommandJobs(store.db)).toEqual({ pending: 1 });

      const b = jobsOf('b', async () => {});
      const takenAt = Date.now();
      b.start();
      while (answered.length === 0 && Date.now() - takenAt < 5_000) await new Promise((r) => setTimeout(r, 20));
      await b.stop();
      expect(answered).toEqual(['b:leadtime']);
      expect(Date.now() - takenAt).toBeLessThan(5_000); // not after the 30 s lease
      expect(await countCommandJobs(store.db)).toEqual({ done: 1 });
    });
  });
}
