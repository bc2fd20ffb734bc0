/**
 * A flow-nudge server in its own process, for the crash test and the bench:
 * DATABASE_URL names the store; the test config (one source per vendor) with
 * its secrets; an ephemeral port on 127.0.0.1, printed as `LISTENING <port>`.
 * SIGNAL_CHECK_MS=N (bench signals): the bot's debounced signal check after each delivery's
 * transitions, in windows of N ms, claimed as REPLICA_ID; at SIGTERM, once the last window has
 * been checked or skipped, `STATS {"signalChecks":…,"signalChecksSkipped":…}`.
 */
import { openStore } from '../../../src/store/database.ts';
import { startServer } from '../../../src/http/start-server.ts';
import { createConsoleLogger } from '../../../src/log/console-logger.ts';
import { createNudgeHooks } from '../../../src/nudges/nudge-hooks.ts';
import { testConfig } from './test-server.ts';

const log = createConsoleLogger('warn');
const store = await openStore(process.env.DATABASE_URL, { log });
// SQLITE_SYNCHRONOUS=FULL (bench): fsync every commit, durable across power loss, not only process crashes.
if (process.env.SQLITE_SYNCHRONOUS && store.sqlite) store.sqlite.pragma(`synchronous = ${process.env.SQLITE_SYNCHRONOUS === 'FULL' ? 'FULL' : 'NORMAL'}`);
const signalCheckMs = Number(process.env.SIGNAL_CHECK_MS ?? 0);
const hooks = signalCheckMs > 0 ? createNudgeHooks({ store, charts: null, log }, () => Date.now(), { debounceMs: signalCheckMs, replicaId: process.env.REPLICA_ID! }) : null;
const running = await startServer({
  store,
  config: await testConfig(),
  port: Number(process.env.PORT ?? 0),
  host: '127.0.0.1',
  log,
  ...(hooks && { onTransitions: hooks.onTransitions }),
});
// INBOX_ONLY=1 (the bench): deliveries are committed and acknowledged but not processed.
if (process.env.INBOX_ONLY === '1') await running.processor.stop();
process.stdout.write(`LISTENING ${running.port}\n`);
// MEMORY_REPORT_MS=N (bench edge): process.memoryUsage() every N ms, as `MEMORY {json}` lines.
if (Number(process.env.MEMORY_REPORT_MS) > 0) {
  setInterval(() => process.stdout.write(`MEMORY ${JSON.stringify(process.memoryUsage())}\n`), Number(process.env.MEMORY_REPORT_MS)).unref();
}
const stop = async () => {
  await running.close();
  if (hooks) {
    // the last window's timer runs its claimed checks at the window's end: wait past it (no flush,
    // which checks at once without a claim, as a shutdown does)
    await new Promise((resolve) => setTimeout(resolve, 2 * signalCheckMs + 500));
    process.stdout.write(`STATS ${JSON.stringify(hooks.stats())}\n`);
  }
  await store.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
