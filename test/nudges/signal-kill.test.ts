/**
 * SIGKILL between a signal's detection and its post: a bot process finds the demo's signal
 * and is killed while it renders the alert's chart. After the restart the alert is posted,
 * once. (Before the check recorded, rendered and enqueued in one transaction, the signal was
 * recorded as said first, and the kill lost the alert for good.)
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { checkSignals } from '../../src/nudges/signal-alert.ts';
import { createOutboxWorker } from '../../src/nudges/outbox-worker.ts';
import { bindChannel } from '../../src/store/channel-bindings.ts';
import { openPostgresStore, openStore, type Store } from '../../src/store/database.ts';
import { listOutbox } from '../../src/store/outbox.ts';
import { listNudgesSent } from '../../src/store/nudges-sent.ts';
import { testDialects } from '../support/databases.ts';
import { startDemoReplay } from './support/demo-replay.ts';
import { RecordingDeliverer } from './support/recording-deliverer.ts';

const END = Date.UTC(2026, 10, 24, 12);
const ALERT_DAY = Date.UTC(2026, 8, 5, 12); // the demo's policy change shows as a run of 8 by then

/** A store two processes can open: a SQLite file, or a Postgres schema. */
async function sharedStore(dialect: 'sqlite' | 'postgres'): Promise<{ store: Store; args: string[]; drop(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'flow-nudge-kill-'));
    const url = `file:${join(dir, 'bot.db')}`;
    const store = await openStore(url);
    return { store, args: [url], drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const url = process.env.TEST_DATABASE_URL!;
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = async (query: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(query);
    await client.end();
  };
  await admin(`CREATE SCHEMA ${schema}`);
  const store = await openPostgresStore({ connectionString: url, options: `-c search_path=${schema}`, max: 2 });
  return { store, args: [url, schema], drop: () => admin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`) };
}

/** Runs the bot process and SIGKILLs it as soon as it says it is rendering. */
function runAndKillWhileRendering(args: string[]): Promise<{ killed: boolean; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/run-ts.js', 'test/nudges/support/signal-check-main.ts', ...args], { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes('rendering')) child.kill('SIGKILL');
    });
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('error', reject);
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve({ killed: true, out }) : reject(new Error(`the bot process ended by itself (${code}): ${out} ${err}`))));
  });
}

for (const dialect of testDialects()) {
  describe(`SIGKILL between a signal's detection and its post (${dialect})`, () => {
    let drop: (() => Promise<void>) | undefined;
    let store: Store | undefined;
    afterEach(async () => {
      await store?.close();
      await drop?.();
    });

    it('the alert is posted once after the restart', async () => {
      const shared = await sharedStore(dialect);
      store = shared.store;
      drop = shared.drop;
      const replay = await startDemoReplay(store, END);
      await replay.advanceTo(ALERT_DAY);
      await bindChannel(store.db, { platform: 'slack', channelId: 'C-KILL', streamId: replay.streamId }, ALERT_DAY);

      const run = await runAndKillWhileRendering([String(ALERT_DAY), ...shared.args]);
      expect(run.killed).toBe(true);
      // killed mid-render: nothing of that check was committed
      expect(await listOutbox(store.db)).toEqual([]);
      expect(await listNudgesSent(store.db, 'signal:slack:C-KILL:')).toEqual([]);

      // the restarted bot checks again (the daily sweep, or the next webhook) and delivers
      const restarted = (await checkSignals({ store, charts: null }, ALERT_DAY + 60_000)).flatMap((r) => r.posts);
      expect(restarted.map((p) => p.identity)).toEqual([expect.stringMatching(/^leadtime:e\d+:below:run-of-8:DEMO-447$/)]);
      expect((await checkSignals({ store, charts: null }, ALERT_DAY + 120_000)).flatMap((r) => r.posts)).toEqual([]);
      const slack = new RecordingDeliverer('slack');
      const worker = createOutboxWorker({ store });
      worker.register(slack);
      await worker.runOnce();
      expect(slack.sent.map((c) => [c.target, c.meta.dedupKey])).toEqual([[{ platform: 'slack', channelId: 'C-KILL' }, expect.stringMatching(/run-of-8:DEMO-447$/)]]);
    }, 120_000);
  });
}
