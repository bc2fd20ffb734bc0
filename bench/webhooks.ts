/**
 * Webhook ingest figures: signed, durable deliveries per second over loopback.
 * The server runs in its own process (as in production); this process signs
 * Jira deliveries the way Jira does and posts them with 32 keep-alive
 * connections. "acknowledged" = answered 202 after the raw delivery was
 * committed; "processed" = turned into work items and transitions.
 *
 * The inbox-only comparison with the bare reference (issue 18: flow-nudge ≥ 0.8x) is measured
 * in turns, flow-nudge then the reference, INBOX_ROUNDS times (A/B/A/B…), each on a fresh store,
 * and the figure is the median of the rounds' ratios: the machine's other load moves both sides
 * of a round alike, and one slow round does not decide it.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchPostgresUrl, withBenchSchema } from './bench-postgres.ts';
import { YOUNG_GENERATION_FLAG } from './launcher-flags.ts';
import { openStore } from '../src/store/database.ts';
import { verifyLastMoves } from '../src/store/item-last-move.ts';
import { listStreams } from '../src/store/value-streams.ts';
import { startChildServer } from '../test/http/support/child-server.ts';
import { createPoster } from '../test/http/support/http-post.ts';
import { SECRETS } from '../test/http/support/test-server.ts';
import { readFixture, vendorHeaders } from '../test/trackers/support/vendor-requests.ts';

const DELIVERIES = 4_000;
/** inbox only: more deliveries per round, and rounds in turn (see the header) */
const INBOX_DELIVERIES = 8_000;
const INBOX_ROUNDS = 3;
const CONCURRENCY = 32;

const REFERENCE_SERVER = fileURLToPath(new URL('./reference-ingest-server.ts', import.meta.url));

interface InboxRate {
  /** deliveries/s acknowledged */
  rate: number;
  /** server CPU ms per delivery, null where /proc is not there */
  cpuMs: number | null;
  failed: number;
}

async function measure(
  databaseUrl: string,
  label: string,
  figures: Record<string, number | string>,
  inboxOnly = false,
  env: Record<string, string> = {},
  script?: string,
): Promise<InboxRate | null> {
  // flow-nudge's server with the launcher's young generation (bin/flow-nudge.js); the reference as plain node
  const server = await startChildServer({ DATABASE_URL: databaseUrl, INBOX_ONLY: inboxOnly ? '1' : '0', ...env }, script ? { script } : { nodeArgs: [YOUNG_GENERATION_FLAG] });
  const poster = createPoster(CONCURRENCY);
  try {
    const fixture = readFixture('jira', 'issue_updated_status.json');
    const prefix = randomBytes(4).toString('hex');
    const count = inboxOnly ? INBOX_DELIVERIES : DELIVERIES;
    const deliveries = Array.from({ length: count + 200 }, (_, i) => {
      const body = fixture.replaceAll('"TES-41"', `"TES-${100_000 + i}"`);
      return { body, headers: vendorHeaders('jira', SECRETS.JIRA_SECRET, body, { deliveryId: `${prefix}-${i}` }) };
    });
    const url = `${server.url}/webhooks/jira`;
    // warm-up: JIT, connections, first statements
    for (const d of deliveries.slice(count)) await poster.post(url, d.body, d.headers);
    if (!inboxOnly) await waitProcessed(server.url);

    let next = 0;
    let failed = 0;
    const cpuBefore = processCpuMs(server.child.pid);
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < count) {
          const d = deliveries[next++];
          const res = await poster.post(url, d.body, d.headers);
          if (res.status !== 202) failed++;
        }
      }),
    );
    const acknowledgedMs = performance.now() - started;
    const cpuAcknowledged = processCpuMs(server.child.pid);
    if (inboxOnly) {
      const cpuMs = cpuBefore !== null && cpuAcknowledged !== null ? (cpuAcknowledged - cpuBefore) / count : null;
      return { rate: count / (acknowledgedMs / 1000), cpuMs, failed };
    }
    await waitProcessed(server.url);
    const processedMs = performance.now() - started;
    const cpuProcessed = processCpuMs(server.child.pid);
    figures[`${label}: signed durable deliveries/s acknowledged (loopback, 32 connections)`] = Math.round(DELIVERIES / (acknowledgedMs / 1000));
    figures[`${label}: deliveries/s processed into transitions (end to end)`] = Math.round(DELIVERIES / (processedMs / 1000));
    if (cpuBefore !== null && cpuAcknowledged !== null && cpuProcessed !== null) {
      // CPU time of the server process: a figure the machine's other load does not distort.
      const perDelivery = (cpuProcessed - cpuBefore) / DELIVERIES;
      figures[`${label}: server CPU ms per delivery (receive + verify + commit + process)`] = Number(perDelivery.toFixed(3));
      figures[`${label}: deliveries/s per CPU core of the server (1000 / CPU ms)`] = Math.round(1000 / perDelivery);
    }
    if (failed > 0) figures[`${label}: deliveries not acknowledged`] = failed;
    await verifyFigures(databaseUrl, label, figures);
    return null;
  } finally {
    poster.close();
    server.child.kill('SIGTERM');
    await server.exited;
  }
}

/** user + system CPU ms of a process (Linux /proc), or null elsewhere. */
function processCpuMs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
    return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/**
 * Inbox only, flow-nudge and the bare reference in turn, INBOX_ROUNDS times; `fresh(round, side)`
 * gives each run its empty store. Figures: each side's rate per round and median, server CPU per
 * delivery (median), each round's ratio and their median.
 */
async function compareInbox(
  database: string,
  figures: Record<string, number | string>,
  fresh: (round: number, side: 'flow-nudge' | 'reference') => Promise<string>,
): Promise<void> {
  const ours: InboxRate[] = [];
  const reference: InboxRate[] = [];
  for (let round = 0; round < INBOX_ROUNDS; round++) {
    ours.push((await measure(await fresh(round, 'flow-nudge'), database, figures, true))!);
    reference.push((await measure(await fresh(round, 'reference'), database, figures, true, {}, REFERENCE_SERVER))!);
  }
  const rates = (runs: InboxRate[]) => runs.map((r) => Math.round(r.rate)).join(', ');
  const cpu = (runs: InboxRate[]) => {
    const ms = runs.map((r) => r.cpuMs).filter((v) => v !== null);
    return ms.length > 0 ? Number(median(ms).toFixed(3)) : 'n/a';
  };
  const ratios = ours.map((r, i) => r.rate / reference[i].rate);
  figures[`${database}, inbox only (no processing): deliveries/s acknowledged, ${INBOX_ROUNDS} rounds of ${INBOX_DELIVERIES}`] = rates(ours);
  figures[`${database}, inbox only: deliveries/s acknowledged, median`] = Math.round(median(ours.map((r) => r.rate)));
  figures[`${database}, inbox only: server CPU ms per delivery (receive + verify + parse + commit), median`] = cpu(ours);
  figures[`${database} bare reference (node:http + driver): deliveries/s acknowledged, same rounds`] = rates(reference);
  figures[`${database} bare reference: server CPU ms per delivery, median`] = cpu(reference);
  figures[`${database}, inbox only: flow-nudge ÷ bare reference per round`] = ratios.map((r) => r.toFixed(2)).join(', ');
  figures[`${database}, inbox only: flow-nudge ÷ bare reference, median (target ≥ 0.8)`] = Number(median(ratios).toFixed(2));
  const failed = ours.reduce((n, r) => n + r.failed, 0);
  if (failed > 0) figures[`${database}, inbox only: deliveries not acknowledged`] = failed;
}

/** Resolves once the store behind `url` has no delivery pending (its /healthz says so). */
export async function waitProcessed(url: string): Promise<void> {
  for (;;) {
    const health = (await (await fetch(`${url}/healthz`)).json()) as { deliveries: Record<string, number> };
    if (health.deliveries.pending === 0) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** What `flow-nudge verify` finds on the store after processing: items checked, and how many differ from their transitions. */
async function verifyFigures(databaseUrl: string, label: string, figures: Record<string, number | string>): Promise<void> {
  const store = await openStore(databaseUrl);
  try {
    let items = 0;
    let differences = 0;
    for (const stream of await listStreams(store.db)) {
      const found = await verifyLastMoves(store.db, stream.id);
      items += found.items;
      differences += found.differences.length;
    }
    figures[`${label}: flow-nudge verify items checked`] = items;
    figures[`${label}: flow-nudge verify differences (0 expected)`] = differences;
  } finally {
    await store.close();
  }
}

export async function benchWebhooks(): Promise<Record<string, number | string>> {
  const figures: Record<string, number | string> = {
    deliveries: DELIVERIES,
    'load average (1 min) at start': loadavg()[0].toFixed(1),
  };
  const dir = mkdtempSync(join(tmpdir(), 'flow-nudge-bench-webhooks-'));
  try {
    await measure(`file:${join(dir, 'bench.db')}`, 'sqlite', figures);
    await compareInbox('sqlite', figures, async (round, side) => `file:${join(dir, `bench-inbox-${side}-${round}.db`)}`);
    // The store opens SQLite with synchronous=NORMAL (safe against process crashes); FULL also survives power loss.
    const full = await measure(`file:${join(dir, 'bench-full.db')}`, 'sqlite synchronous=FULL', figures, true, { SQLITE_SYNCHRONOUS: 'FULL' });
    if (full) figures['sqlite synchronous=FULL, inbox only: deliveries/s acknowledged'] = Math.round(full.rate);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const pgUrl = benchPostgresUrl();
  if (pgUrl) {
    await withBenchSchema(pgUrl, async (url, admin, schema) => {
      await measure(url, 'postgres', figures);
      await compareInbox('postgres', figures, async () => {
        await admin.query(`TRUNCATE ${schema}.webhook_delivery`);
        return url;
      });
    });
  } else {
    figures.postgres = 'skipped: set TEST_DATABASE_URL=postgres://... to measure';
  }
  return figures;
}
