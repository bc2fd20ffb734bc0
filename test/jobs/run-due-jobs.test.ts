/**
 * The job runner's claim discipline on SQLite and Postgres: each period runs once across
 * runners, a restarted replica does not repeat its period, an unfinished claim of a dead
 * replica is taken over after the lease, a failing run is reported and retried later.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobDefinition } from '../../src/jobs/job-types.ts';
import { createJobRunner } from '../../src/jobs/run-due-jobs.ts';
import { startScheduler } from '../../src/jobs/scheduler.ts';
import { claimJobRun, listJobRuns } from '../../src/store/job-runs.ts';
import type { Store } from '../../src/store/database.ts';
import { openTestStore, testDialects } from '../support/databases.ts';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 2, 0, 0);

/** A job due every hour (period = UTC hour) that counts its runs. */
function hourlyJob(name: string, runs: string[], fail?: (key: string) => boolean): JobDefinition {
  return {
    name,
    async duePeriods(_ctx, now) {
      const key = new Date(now).toISOString().slice(0, 13);
      return [{ key, run: async () => {
        if (fail?.(key)) throw new Error(`${name} broke at ${key}`);
        runs.push(key);
        return key;
      } }];
    },
  };
}

for (const dialect of testDialects()) {
  describe(`job runner (${dialect})`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await openTestStore(dialect);
    });
    afterEach(async () => store.close());

    it('runs each period once across two runners ticking every 10 minutes', async () => {
      const runs: string[] = [];
      const a = createJobRunner({ store, charts: null, replicaId: 'a' }, [hourlyJob('count', runs)]);
      const b = createJobRunner({ store, charts: null, replicaId: 'b' }, [hourlyJob('count', runs)]);
      for (let t = T0; t < T0 + 6 * HOUR; t += 10 * 60_000) await Promise.all([a.runDueJobs(t), b.runDueJobs(t + 1)]);
      expect(runs).toEqual(['00', '01', '02', '03', '04', '05'].map((h) => `2026-11-02T${h}`));
      const claims = await listJobRuns(store.db, 'count');
      expect(claims).toHaveLength(6);
      expect(claims.every((c) => c.finishedAt !== null)).toBe(true);
    });

    it('a replica that restarts mid-period does not repeat it', async () => {
      const runs: string[] = [];
      await createJobRunner({ store, charts: null, replicaId: 'host:1' }, [hourlyJob('count', runs)]).runDueJobs(T0 + 5 * 60_000);
      const restarted = createJobRunner({ store, charts: null, replicaId: 'host:1' }, [hourlyJob('count', runs)]);
      expect(await restarted.runDueJobs(T0 + 30 * 60_000)).toEqual([{ job: 'count', periodKey: '2026-11-02T00', status: 'skipped', detail: 'claimed by host:1' }]);
      expect(runs).toEqual(['2026-11-02T00']);
    });

    it('a failed run is reported, left unfinished, and taken over after the lease', async () => {
      const runs: string[] = [];
      let broken = true;
      let wall = T0; // the lease is measured on the wall clock, faked here too
      const options = { store, charts: null, leaseMs: 15 * 60_000, wallClock: () => wall };
      const a = createJobRunner({ ...options, replicaId: 'a' }, [hourlyJob('count', runs, () => broken)]);
      const b = createJobRunner({ ...options, replicaId: 'b' }, [hourlyJob('count', runs, () => broken)]);
      expect(await a.runDueJobs(T0)).toMatchObject([{ status: 'failed', detail: 'count broke at 2026-11-02T00' }]);
      broken = false;
      wall = T0 + 10 * 60_000;
      expect(await b.runDueJobs(wall)).toMatchObject([{ status: 'skipped', detail: 'claimed by a' }]);
      wall = T0 + 16 * 60_000;
      expect(await b.runDueJobs(wall)).toMatchObject([{ status: 'ran' }]);
      wall = T0 + 50 * 60_000;
      expect(await a.runDueJobs(wall)).toMatchObject([{ status: 'skipped', detail: 'claimed by b' }]);
      expect(runs).toEqual(['2026-11-02T00']);
    });

    it('claims are decided by the database: many concurrent claims, one winner', async () => {
      const results = await Promise.all(Array.from({ length: 12 }, (_, i) => claimJobRun(store.db, 'race', 'p1', `r${i}`, T0)));
      expect(results.filter((r) => r.claimed)).toHaveLength(1);
    });

    it('gives memory back between the streams of a tick, not between the channels of one stream', async () => {
      const order: string[] = [];
      const perStream: JobDefinition = {
        name: 'per-channel',
        async duePeriods() {
          return ['web:C1', 'web:C2', 'api:C3', 'api:C4', 'ops:C5'].map((key) => ({
            key,
            stream: key.split(':')[0],
            run: async () => void order.push(key),
          }));
        },
      };
      const runner = createJobRunner({ store, charts: null, replicaId: 'a', releaseMemory: () => order.push('release') }, [perStream]);
      await runner.runDueJobs(T0);
      expect(order).toEqual(['web:C1', 'web:C2', 'release', 'api:C3', 'api:C4', 'release', 'ops:C5']);
      // periods claimed by another replica run nothing here, so nothing is released for them
      order.length = 0;
      await createJobRunner({ store, charts: null, replicaId: 'b', releaseMemory: () => order.push('release') }, [perStream]).runDueJobs(T0);
      expect(order).toEqual([]);
    });

    it('rejects duplicate job names and a bad cron expression at creation', () => {
      expect(() => createJobRunner({ store, charts: null, replicaId: 'a' }, [hourlyJob('x', []), hourlyJob('x', [])])).toThrow(/Two jobs are named "x"/);
      expect(() => startScheduler({ store, charts: null, cronExpression: 'every minute' })).toThrow(/is not a cron expression/);
    });
  });
}

describe('releaseMemory', () => {
  const run = (flags: string[]) =>
    spawnSync(process.execPath, [...flags, fileURLToPath(new URL('../../bin/run-ts.js', import.meta.url)), fileURLToPath(new URL('./support/release-memory-main.ts', import.meta.url))], { encoding: 'utf8' });

  it('runs a full collection when the launcher passed --expose-gc: an object only a WeakRef points to is gone', () => {
    const child = run(['--expose-gc']);
    expect(child.stderr).toBe('');
    expect(child.stdout).toBe('collected');
  });

  it('is a no-op without --expose-gc: it switches nothing on at run time', () => {
    const child = run([]);
    expect(child.stderr).toBe('');
    expect(child.stdout).toBe('kept');
  });
});

describe('createNudgeSystem', () => {
  it('wires the worker, the schedule and the hooks: a queued outcome ask reaches the deliverer', async () => {
    const { createNudgeSystem } = await import('../../src/jobs/start-nudge-system.ts');
    const { RecordingDeliverer } = await import('../nudges/support/recording-deliverer.ts');
    const { bindChannel } = await import('../../src/store/channel-bindings.ts');
    const { saveStream } = await import('../../src/store/value-streams.ts');
    const { upsertWorkItem } = await import('../../src/store/work-items.ts');
    const store = await openTestStore('sqlite');
    try {
      const streamId = await saveStream(store.db, { name: 'web', timeZone: 'UTC', stages: [{ name: 'Done', kind: 'done', statuses: ['Done'] }] });
      await bindChannel(store.db, { platform: 'playground', channelId: 'local', streamId });
      await upsertWorkItem(store.db, streamId, { key: 'E-1', source: 'jira', type: 'feature', title: 'An epic', createdAt: Date.now(), isEpic: true, outcomeOwner: 'pm@example.com' });
      const playground = new RecordingDeliverer('playground');
      const system = createNudgeSystem({ store, log: { warn: () => {} }, charts: null });
      system.worker.register(playground); // as npm start does: registered once the platform is mounted
      system.start();
      await system.hooks.onTransitions('web', ['E-1']);
      await system.hooks.flush();
      for (let i = 0; i < 100 && playground.calls.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      await system.stop();
      expect(playground.calls.map((c) => [c.meta.kind, c.target])).toEqual([['outcome-ask', { platform: 'playground', userRef: 'pm@example.com' }]]);
    } finally {
      await store.close();
    }
  });
});
