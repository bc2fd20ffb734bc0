/**
 * One bot replica of the delivery chaos run: the real check-in job (claimed per channel in
 * job_run), the real outbox worker with the real Slack and Teams deliverers, against the fakes.
 * Runs until SIGTERM (or SIGKILL: that is the point).
 * Usage: node bin/run-ts.js bench/delivery-replica.ts ID DATABASE_URL SCHEMA SLACK_API_URL CHECKIN_AT_MS
 */
import { webApi } from '@slack/bolt';
import { createSlackDeliverer, delivererClientOptions } from '../src/chat/slack/deliverer.ts';
import { createChartRenderer } from '../src/charts/index.ts';
import { createTeamsDeliverer } from '../src/chat/teams/deliverer.ts';
import { mountTeams } from '../src/chat/teams/index.ts';
import { createHttpServer } from '../src/http/server.ts';
import { checkinJob } from '../src/jobs/nudge-jobs.ts';
import { createJobRunner } from '../src/jobs/run-due-jobs.ts';
import { createNudgeCharts } from '../src/nudges/nudge-charts.ts';
import { createOutboxWorker } from '../src/nudges/outbox-worker.ts';
import { openPostgresStore } from '../src/store/database.ts';

const [id, url, schema, slackApiUrl, checkinAt] = process.argv.slice(2);
if (!id || !url || !schema || !slackApiUrl || !checkinAt) throw new Error('delivery-replica needs ID DATABASE_URL SCHEMA SLACK_API_URL CHECKIN_AT_MS');
const line = (message: string) => process.stdout.write(`${new Date().toISOString()} ${id} ${message}\n`);
const log = { info: line, warn: line, error: (m: string, f?: unknown) => line(`${m} ${JSON.stringify(f ?? {})}`) };

const store = await openPostgresStore({ connectionString: url, options: `-c search_path=${schema}`, max: 6 });
const worker = createOutboxWorker({ store, log, leaseMs: 10_000, baseBackoffMs: 300, maxBackoffMs: 4_000, pollMs: 300, maxAttempts: 1_000, concurrency: 6 });
worker.register(createSlackDeliverer({ clientFor: async () => new webApi.WebClient('xoxb-bench', delivererClientOptions({ slackApiUrl })) }));
// the fake connector is on this machine: no Bot Framework credentials
const charts = createChartRenderer();
const teams = mountTeams({ httpServer: createHttpServer({ log }), store, charts, env: {}, allowAnonymous: true, publicUrl: 'https://flow-nudge.example', log: { ...log, info: () => {}, warn: () => {} }, clock: () => Date.now() });
worker.register(createTeamsDeliverer({ store, teams }));
const runner = createJobRunner({ store, charts: createNudgeCharts(charts), replicaId: id, leaseMs: 8_000, log, onEnqueued: () => worker.wake() }, [checkinJob]);

let stopping = false;
process.on('SIGTERM', () => {
  stopping = true;
});
worker.start();
line('started');
while (!stopping) {
  try {
    const results = await runner.runDueJobs(Number(checkinAt));
    const ran = results.filter((r) => r.status === 'ran').length;
    if (ran > 0) line(`enqueued ${ran} check-ins`);
  } catch (error) {
    line(`tick failed: ${(error as Error).message}`);
  }
  await new Promise((r) => setTimeout(r, 1_000));
}
await worker.stop();
await charts.close();
await store.close();
line('stopped');
process.exit(0);
