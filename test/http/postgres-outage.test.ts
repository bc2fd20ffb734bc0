/**
 * Outage test (Postgres): while 3,000 signed deliveries arrive, every connection the server holds
 * is terminated twice (pg_terminate_backend, as a restart does). The process stays up, answers the
 * requests of that moment 503 with Retry-After, reconnects by itself within seconds, and every
 * delivery it acknowledged is stored once and processed. A tracker retries what got no 2xx.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../../src/store/database.ts';
import { readFixture, vendorHeaders } from '../trackers/support/vendor-requests.ts';
import { startChildServer, type ChildServer } from './support/child-server.ts';
import { createPoster } from './support/http-post.ts';
import { SECRETS } from './support/test-server.ts';

const TOTAL = 3_000;
const CONCURRENCY = 32;
const TERMINATE_AT = [800, 1_900];
const FIXTURE = readFixture('jira', 'issue_updated_status.json');
const base = process.env.TEST_DATABASE_URL;

function delivery(i: number) {
  const body = FIXTURE.replaceAll('"TES-41"', `"TES-${20_000 + i}"`);
  return { id: `outage-${i}`, body, headers: vendorHeaders('jira', SECRETS.JIRA_SECRET, body, { deliveryId: `outage-${i}` }) };
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

describe.skipIf(!base)('Postgres outage during a webhook burst', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('terminating every connection twice mid-burst: no crash, 503 meanwhile, nothing acknowledged lost', { timeout: 300_000 }, async () => {
    const schema = `outage_${randomBytes(5).toString('hex')}`;
    const appName = `flow_nudge_${schema}`;
    await admin((c) => c.query(`CREATE SCHEMA ${schema}`));
    cleanups.push(async () => {
      await admin((c) => c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
    });
    const sep = base!.includes('?') ? '&' : '?';
    const databaseUrl = `${base}${sep}application_name=${appName}&options=${encodeURIComponent(`-c search_path=${schema}`)}`;

    const server: ChildServer = await startChildServer({ DATABASE_URL: databaseUrl });
    let serverLog = '';
    server.child.stderr!.on('data', (chunk: Buffer) => (serverLog += chunk.toString()));
    cleanups.push(() => {
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
    });

    const acknowledged = new Set<string>();
    const statuses = new Map<number, number>();
    let retryAfter = '';
    const terminations: { at: number; killed: number; recoveredAt?: number }[] = [];
    const poster = createPoster(CONCURRENCY);
    cleanups.push(() => poster.close());

    const terminate = async () => {
      const { rows } = await admin((c) =>
        c.query<{ n: string }>(`SELECT count(pg_terminate_backend(pid))::text AS n FROM pg_stat_activity WHERE application_name = $1`, [appName]),
      );
      terminations.push({ at: Date.now(), killed: Number(rows[0]!.n) });
    };

    let next = 0;
    let started = 0;
    const sendUntilAcknowledged = async (i: number): Promise<void> => {
      const d = delivery(i);
      for (let attempt = 0; attempt < 200; attempt++) {
        let status = 0;
        try {
          const res = await poster.post(`${server.url}/webhooks/jira`, d.body, d.headers);
          status = res.status;
          if (status === 503) retryAfter = String(res.headers['retry-after'] ?? '');
        } catch {
          status = -1; // connection reset: the tracker retries
        }
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (status >= 200 && status < 300) {
          acknowledged.add(d.id);
          const pending = terminations.find((t) => t.recoveredAt === undefined && Date.now() > t.at);
          if (pending) pending.recoveredAt = Date.now();
          if (started < TERMINATE_AT.length && acknowledged.size >= TERMINATE_AT[started]!) {
            started += 1;
            await terminate();
          }
          return;
        }
        await new Promise((r) => setTimeout(r, 250)); // a vendor waits Retry-After; the test waits less
      }
      throw new Error(`delivery ${d.id} was never acknowledged; statuses so far ${JSON.stringify([...statuses])}`);
    };
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < TOTAL) await sendUntilAcknowledged(next++);
      }),
    );

    expect(server.child.exitCode).toBe(null); // still running
    expect(terminations.map((t) => t.killed > 0)).toEqual([true, true]);
    for (const t of terminations) expect(t.recoveredAt! - t.at).toBeLessThan(15_000);
    expect(acknowledged.size).toBe(TOTAL);

    // Every delivery processed, once.
    const until = Date.now() + 120_000;
    for (;;) {
      const health = (await (await fetch(`${server.url}/healthz`)).json()) as { deliveries: Record<string, number> };
      if (health.deliveries.pending === 0 && health.deliveries.failed === 0) break;
      if (Date.now() > until) throw new Error(`deliveries not processed: ${JSON.stringify(health.deliveries)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const store = await openPostgresStore({ connectionString: base, options: `-c search_path=${schema}`, max: 2 });
    try {
      const rows = await store.db.selectFrom('webhook_delivery').select(['delivery_id', 'state']).execute();
      expect(new Set(rows.map((r) => r.delivery_id)).size).toBe(TOTAL);
      expect(rows.length).toBe(TOTAL);
      expect(rows.every((r) => r.state === 'done')).toBe(true);
      const transitions = await store.db.selectFrom('transition').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(transitions.n)).toBe(TOTAL);
    } finally {
      await store.close();
    }
    expect(server.child.exitCode).toBe(null);
    expect(serverLog).toMatch(/postgres: a connection was lost/);
    expect(statuses.get(500) ?? 0).toBe(0); // the outage is a 503, never an internal error
    const unavailable = statuses.get(503) ?? 0;
    if (unavailable > 0) expect(retryAfter).toMatch(/^\d+$/);
    console.info(
      `outage test: ${terminations.map((t) => `${t.killed} connections terminated, first 2xx ${t.recoveredAt! - t.at} ms later`).join('; ')}; answers ${JSON.stringify(Object.fromEntries(statuses))}`,
    );
    server.child.kill('SIGTERM');
    await server.exited;
  });
});
