/**
 * One replica of the replica test: opens the shared Postgres schema, waits for the common start
 * time, then runs the real jobs for the same simulated ticks as its siblings and prints what it
 * ran as JSON lines. Usage: node bin/run-ts.js test/jobs/support/replica-main.ts ID SCHEMA START_MS FROM TO STEP
 */
import { createJobRunner } from '../../../src/jobs/run-due-jobs.ts';
import { openPostgresStore } from '../../../src/store/database.ts';

const [id, schema, startAt, from, to, step] = process.argv.slice(2);
const url = process.env.TEST_DATABASE_URL;
if (!id || !schema || !url) throw new Error('replica-main needs ID SCHEMA START FROM TO STEP and TEST_DATABASE_URL');
const store = await openPostgresStore({ connectionString: url, options: `-c search_path=${schema}`, max: 2 });
try {
  const runner = createJobRunner({ store, charts: null, replicaId: id });
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAt) - Date.now())));
  for (let t = Number(from); t < Number(to); t += Number(step)) {
    for (const result of await runner.runDueJobs(t)) {
      process.stdout.write(`${JSON.stringify({ replica: id, tick: t, job: result.job, period: result.periodKey, status: result.status, detail: result.status === 'failed' ? result.detail : undefined })}\n`);
    }
  }
} finally {
  await store.close();
}
