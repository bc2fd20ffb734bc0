/**
 * Replicas share the webhook-triggered signal check (issue 18): three replica processes on one
 * real Postgres schema, each the webhook server with the debounced check (test/http/support/server-main.ts
 * with SIGNAL_CHECK_MS),
 * take a burst of 2,000 signed Jira deliveries for two streams, sent round-robin with 32
 * connections. Counted afterwards: the checks each replica ran and skipped (its hooks' stats), and
 * the claims in job_run. Once per stream per debounce window means: checks run = distinct
 * (window, stream) claims = the (window, stream) pairs that had deliveries, whatever the replica.
 */
import { randomBytes } from 'node:crypto';
import { SIGNAL_CHECK_JOB } from '../src/nudges/nudge-hooks.ts';
import { openStore } from '../src/store/database.ts';
import { listJobRuns } from '../src/store/job-runs.ts';
import { benchPostgresUrl, withBenchSchema } from './bench-postgres.ts';
import { LAUNCHER_FLAGS } from './launcher-flags.ts';
import { waitProcessed } from './webhooks.ts';
import { startChildServer, type ChildServer } from '../test/http/support/child-server.ts';
import { createPoster } from '../test/http/support/http-post.ts';
import { SECRETS } from '../test/http/support/test-server.ts';
import { readFixture, vendorHeaders } from '../test/trackers/support/vendor-requests.ts';

const REPLICAS = 3;
const DELIVERIES = 2_000;
const CONCURRENCY = 32;
/** the gathering window: short, so a burst of a few seconds spans several */
const DEBOUNCE_MS = 1_000;

/** A Jira delivery moving one item of the 'web' (TES) or 'ru' (DTP) stream of the test config. */
function delivery(fixture: string, i: number, prefix: string): { body: string; headers: Record<string, string>; project: string } {
  const project = i % 2 === 0 ? 'TES' : 'DTP';
  const body = fixture.replaceAll('"TES-41"', `"${project}-${1_000 + (i % 400)}"`).replaceAll('"key": "TES"', `"key": "${project}"`);
  const secret = project === 'TES' ? SECRETS.JIRA_SECRET : SECRETS.JIRA_RU_SECRET;
  return { body, headers: vendorHeaders('jira', secret, body, { deliveryId: `${prefix}-${i}` }), project };
}

/** Stops a replica and reads its STATS line. */
async function statsOf(server: ChildServer): Promise<{ signalChecks: number; signalChecksSkipped: number }> {
  let out = '';
  server.child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  server.child.kill('SIGTERM');
  await server.exited;
  const line = /STATS (.*)/.exec(out)?.[1];
  if (!line) throw new Error(`a replica ended without its STATS line: ${out}`);
  return JSON.parse(line) as { signalChecks: number; signalChecksSkipped: number };
}

export async function benchSignalReplicas(): Promise<Record<string, number | string>> {
  const figures: Record<string, number | string> = {};
  const pgUrl = benchPostgresUrl();
  if (!pgUrl) {
    figures['replicas sharing signal checks'] = 'skipped: set TEST_DATABASE_URL=postgres://... to measure (the claims need one shared database)';
    return figures;
  }
  await withBenchSchema(pgUrl, async (url) => {
    // migrated once before the replicas open it
    await (await openStore(url)).close();
    const replicas = await Promise.all(
      Array.from({ length: REPLICAS }, (_, r) => startChildServer({ DATABASE_URL: url, SIGNAL_CHECK_MS: String(DEBOUNCE_MS), REPLICA_ID: `replica-${r}` }, { nodeArgs: LAUNCHER_FLAGS })),
    );
    const fixture = readFixture('jira', 'issue_updated_status.json');
    const prefix = randomBytes(4).toString('hex');
    const all = Array.from({ length: DELIVERIES }, (_, i) => delivery(fixture, i, prefix));
    const poster = createPoster(CONCURRENCY);
    let next = 0;
    let failed = 0;
    const started = performance.now();
    const firstAt = Date.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < all.length) {
          const i = next++;
          const res = await poster.post(`${replicas[i % REPLICAS]!.url}/webhooks/jira`, all[i]!.body, all[i]!.headers);
          if (res.status !== 202) failed++;
        }
      }),
    );
    const burstMs = performance.now() - started;
    await waitProcessed(replicas[0]!.url);
    const lastAt = Date.now();
    const stats = await Promise.all(replicas.map(statsOf));
    poster.close();
    const store = await openStore(url);
    try {
      const claims = await listJobRuns(store.db, SIGNAL_CHECK_JOB);
      const keys = claims.map((c) => c.periodKey);
      const perStream = new Map<string, number>();
      for (const key of keys) {
        const stream = key.slice(key.indexOf(':') + 1);
        perStream.set(stream, (perStream.get(stream) ?? 0) + 1);
      }
      const ran = stats.reduce((n, s) => n + s.signalChecks, 0);
      const skipped = stats.reduce((n, s) => n + s.signalChecksSkipped, 0);
      const windows = Math.floor(lastAt / DEBOUNCE_MS) - Math.floor(firstAt / DEBOUNCE_MS) + 1;
      figures.replicas = REPLICAS;
      figures['deliveries (signed Jira, two streams, round-robin over the replicas)'] = DELIVERIES;
      figures['deliveries not answered 202'] = failed;
      figures['burst: acknowledged in (s)'] = (burstMs / 1000).toFixed(1);
      figures['debounce window (ms)'] = DEBOUNCE_MS;
      figures['windows from the first delivery to the last processed'] = windows;
      figures['signal checks run, per replica'] = stats.map((s) => s.signalChecks).join(' / ');
      figures['signal checks left to the claiming replica, per replica'] = stats.map((s) => s.signalChecksSkipped).join(' / ');
      figures['signal checks run, all replicas'] = ran;
      figures['claims in job_run: (window, stream) pairs checked'] = keys.length;
      figures['claims of one (window, stream) pair more than once (0 expected)'] = keys.length - new Set(keys).size;
      figures['checks run ÷ (window, stream) pairs (1 expected)'] = keys.length === 0 ? 'no claims' : (ran / new Set(keys).size).toFixed(2);
      figures['claims per stream'] = [...perStream].map(([stream, n]) => `${stream} ${n}`).join(', ');
      figures['without sharing, checks would have been (run + left)'] = ran + skipped;
      if (ran !== new Set(keys).size) throw new Error(`signal checks run (${ran}) differ from the windows claimed (${new Set(keys).size})`);
    } finally {
      await store.close();
    }
  });
  return figures;
}
