/**
 * Three processes on the real Postgres run the scheduler's jobs for the same simulated ticks
 * over three days (a Monday check-in, daily sweeps and aging alerts, hourly outcome asks): every
 * job runs once per period, and every nudge is enqueued once.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../src/demo/load-demo.ts';
import { bindChannel } from '../../src/store/channel-bindings.ts';
import { openPostgresStore, type Store } from '../../src/store/database.ts';
import { listJobRuns } from '../../src/store/job-runs.ts';
import { listOutbox } from '../../src/store/outbox.ts';
import { upsertWorkItem } from '../../src/store/work-items.ts';

const url = process.env.TEST_DATABASE_URL;
const HOUR = 3_600_000;

interface Line { replica: string; tick: number; job: string; period: string; status: string; detail?: string }

function runReplica(args: string[]): Promise<Line[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/run-ts.js', 'test/jobs/support/replica-main.ts', ...args], { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line)) : reject(new Error(`replica ${args[0]} exited ${code}: ${err}`))));
  });
}

describe.skipIf(!url)('three replicas on one Postgres', () => {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  let store: Store;
  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    store = await openPostgresStore({ connectionString: url, options: `-c search_path=${schema}`, max: 2 });
  });
  afterAll(async () => {
    await store?.close();
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  });

  it('every job runs once per period', async () => {
    const from = Date.parse('2026-10-18T22:00:00Z');
    const to = from + 3 * 24 * HOUR;
    const { streamId } = await loadDemo(store, { now: from });
    await bindChannel(store.db, { platform: 'slack', channelId: 'C-A', streamId }, from);
    await bindChannel(store.db, { platform: 'teams', channelId: '19:b@thread.tacv2', streamId, checkinDay: 'tuesday', checkinTime: '10:00' }, from);
    await upsertWorkItem(store.db, streamId, { key: 'DEMO-E99', source: 'jira', type: 'feature', title: 'New epic', createdAt: from, isEpic: true, outcomeOwner: 'pm@example.com' }, from);

    const start = String(Date.now() + 4_000);
    const lines = (await Promise.all(['r1', 'r2', 'r3'].map((id) => runReplica([id, schema, start, String(from), String(to), String(15 * 60_000)])))).flat();

    expect(lines.filter((l) => l.status === 'failed')).toEqual([]);
    const ran = lines.filter((l) => l.status === 'ran');
    const byPeriod = new Map<string, string[]>();
    for (const l of ran) byPeriod.set(`${l.job} ${l.period}`, [...(byPeriod.get(`${l.job} ${l.period}`) ?? []), l.replica]);
    for (const [period, replicas] of byPeriod) expect([period, replicas.length]).toEqual([period, 1]);

    const claims = await listJobRuns(store.db);
    expect(claims.map((c) => `${c.job} ${c.periodKey}`).sort()).toEqual([...byPeriod.keys()].sort());
    expect(claims.every((c) => c.finishedAt !== null)).toBe(true);
    const count = (job: string) => claims.filter((c) => c.job === job).length;
    expect(count('outcomes')).toBe(72); // hourly over three days
    expect(count('signal-sweep')).toBe(3); // daily, one stream (07:00 Berlin on 19, 20, 21 Oct)
    expect(count('aging')).toBe(6); // daily per channel
    expect(count('checkin')).toBe(2); // Monday 09:30 for C-A, Tuesday 10:00 for the Teams channel
    // the races were real: every replica ran some periods and lost others
    for (const id of ['r1', 'r2', 'r3']) expect(lines.some((l) => l.replica === id && l.status === 'skipped')).toBe(true);
    expect(new Set(ran.map((l) => l.replica)).size).toBeGreaterThan(1);

    const outbox = await listOutbox(store.db);
    expect(outbox.filter((r) => r.kind === 'checkin').map((r) => r.dedupKey).sort()).toEqual(['checkin:slack:C-A:2026-W43', 'checkin:teams:19:b@thread.tacv2:2026-W43']);
    expect(outbox.filter((r) => r.kind === 'outcome-ask').map((r) => JSON.parse(r.target))).toEqual([{ platform: 'slack', userRef: 'pm@example.com' }]);
  }, 300_000);
});
