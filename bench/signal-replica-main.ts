/**
 * One replica of ./signal-replicas.ts: the webhook server with the bot's debounced signal check
 * (createNudgeHooks, as src/jobs/start-nudge-system.ts wires it), on DATABASE_URL, claiming as
 * REPLICA_ID, windows of DEBOUNCE_MS. Prints `LISTENING <port>`; on SIGTERM, once the windows it
 * gathered have been checked or skipped, `STATS {"signalChecks":N,"signalChecksSkipped":M}`.
 */
import { startServer } from '../src/http/start-server.ts';
import { createConsoleLogger } from '../src/log/console-logger.ts';
import { createNudgeHooks } from '../src/nudges/nudge-hooks.ts';
import { openStore } from '../src/store/database.ts';
import { testConfig } from '../test/http/support/test-server.ts';

const debounceMs = Number(process.env.DEBOUNCE_MS);
const log = createConsoleLogger('warn');
const store = await openStore(process.env.DATABASE_URL, { log });
const hooks = createNudgeHooks({ store, charts: null, log }, () => Date.now(), { debounceMs, replicaId: process.env.REPLICA_ID! });
const running = await startServer({ store, config: await testConfig(), port: 0, host: '127.0.0.1', log, onTransitions: hooks.onTransitions });
process.stdout.write(`LISTENING ${running.port}\n`);
process.on('SIGTERM', async () => {
  await running.close();
  // the last window's timer runs its claimed checks at the window's end: wait past it (no flush,
  // which checks at once without a claim, as a shutdown does)
  await new Promise((resolve) => setTimeout(resolve, 2 * debounceMs + 500));
  process.stdout.write(`STATS ${JSON.stringify(hooks.stats())}\n`);
  await store.close();
  process.exit(0);
});
