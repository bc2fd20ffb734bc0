/**
 * A flow-nudge server in its own process, for the crash test and the bench:
 * DATABASE_URL names the store; the test config (one source per vendor) with
 * its secrets; an ephemeral port on 127.0.0.1, printed as `LISTENING <port>`.
 */
import { openStore } from '../../../src/store/database.ts';
import { startServer } from '../../../src/http/start-server.ts';
import { createConsoleLogger } from '../../../src/log/console-logger.ts';
import { testConfig } from './test-server.ts';

const log = createConsoleLogger('warn');
const store = await openStore(process.env.DATABASE_URL, { log });
// SQLITE_SYNCHRONOUS=FULL (bench): fsync every commit, durable across power loss, not only process crashes.
if (process.env.SQLITE_SYNCHRONOUS && store.sqlite) store.sqlite.pragma(`synchronous = ${process.env.SQLITE_SYNCHRONOUS === 'FULL' ? 'FULL' : 'NORMAL'}`);
const running = await startServer({
  store,
  config: await testConfig(),
  port: Number(process.env.PORT ?? 0),
  host: '127.0.0.1',
  log,
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
  await store.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
