/**
 * SIGTERM hands the outbox back: `flow-nudge start` is delivering 40 nudges (text and a chart
 * each) through a fake Slack on 127.0.0.1 that answers every call after 400 ms, so at any
 * moment it holds leases on the rows in flight. On SIGTERM it claims nothing more, finishes the
 * calls in flight and exits within seconds; every row it did not finish is pending again, no
 * lease token, due now, with the steps it finished recorded. A second process then delivers
 * them at once (not after the 60 s lease), resuming after those steps: counted at the fake,
 * every channel got its text once and its chart once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { serializeNudge } from '../../src/nudges/nudge-payload.ts';
import { openSqliteStore } from '../../src/store/database.ts';
import { enqueueOutbox, listOutbox } from '../../src/store/outbox.ts';
import { startFakeSlack } from '../chat/slack/support/fake-slack.ts';
import { startFlowNudge } from '../support/start-flow-nudge.ts';

const ROWS = 40;
const SLOW_MS = 400;
const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(2000, 1)]);

describe('SIGTERM releases the outbox leases', () => {
  const cleanups: (() => unknown)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('rows held at SIGTERM go back at once, and a second process delivers each call exactly once', { timeout: 180_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flow-nudge-leases-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const dbPath = join(dir, 'bot.db');
    const seed = await openSqliteStore(dbPath);
    for (let i = 0; i < ROWS; i++) {
      const message = serializeNudge({ text: `Check-in of team ${i}`, chart: { png, summary: `Lead time of team ${i}`, kind: 'xmr' } });
      await enqueueOutbox(seed.db, { kind: 'checkin', platform: 'slack', target: JSON.stringify({ platform: 'slack', channelId: `C-${i}` }), payloadJson: message, dedupKey: `checkin:${i}` }, Date.now());
    }
    await seed.close();

    const fake = await startFakeSlack();
    cleanups.push(() => fake.close());
    for (const method of ['chat.postMessage', 'files.getUploadURLExternal', 'upload', 'files.completeUploadExternal']) fake.answerAfter(method, SLOW_MS);
    const start = () => {
      const bot = startFlowNudge({
        cwd: dir,
        env: { PORT: '0', DATABASE_URL: `file:${dbPath}`, SLACK_BOT_TOKEN: 'xoxb-leases-test', SLACK_SIGNING_SECRET: 'leases-secret', SLACK_API_URL: fake.apiUrl },
      });
      cleanups.push(() => bot.kill());
      return bot;
    };

    // 1. The first process is mid-delivery (one pass of 40 would take 40 × 4 calls × 400 ms / 4 at once ≈ 16 s).
    const first = start();
    await first.ready();
    await fake.waitFor('chat.postMessage', () => true, { count: 6, timeoutMs: 60_000 });
    const term = Date.now();
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    const stopMs = Date.now() - term;
    expect(stopMs).toBeLessThan(6_000); // only the calls in flight were finished

    // 2. What it did not finish is back in the outbox: pending, no lease, due now, its finished steps kept.
    const store = await openSqliteStore(dbPath);
    const rows = await listOutbox(store.db);
    await store.close();
    const unsent = rows.filter((r) => r.state !== 'sent');
    expect(unsent.length).toBeGreaterThan(ROWS / 2);
    expect(unsent.map((r) => [r.state, r.leaseToken, r.nextAttemptAt <= Date.now()])).toEqual(unsent.map(() => ['pending', null, true]));
    const resumed = unsent.filter((r) => r.progress.message !== undefined);
    expect(resumed.length).toBeGreaterThan(0); // text posted, chart not yet: the next process resumes after the text

    // 3. A second process delivers the rest at once, resuming each row after its finished steps.
    const second = start();
    const ready = Date.now();
    await second.ready();
    await fake.waitFor('files.completeUploadExternal', () => true, { count: ROWS, timeoutMs: 60_000 });
    const drainMs = Date.now() - ready;
    expect(drainMs).toBeLessThan(40_000); // not held back by the first process's 60 s leases
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);

    // 4. Counted at the fake: each channel's text once, each chart uploaded once and shared once.
    const perChannel = (method: string, key: string) => {
      const counts = new Map<string, number>();
      for (const call of fake.callsTo(method)) counts.set(String(call.params[key]), (counts.get(String(call.params[key])) ?? 0) + 1);
      return counts;
    };
    const texts = perChannel('chat.postMessage', 'channel');
    const shared = perChannel('files.completeUploadExternal', 'channel_id');
    const channels = Array.from({ length: ROWS }, (_, i) => `C-${i}`);
    expect(channels.map((c) => [c, texts.get(c) ?? 0, shared.get(c) ?? 0])).toEqual(channels.map((c) => [c, 1, 1]));
    expect(fake.callsTo('upload')).toHaveLength(ROWS);
    expect(fake.callsTo('files.getUploadURLExternal')).toHaveLength(ROWS);
    console.info(`shutdown-leases: first process stopped ${stopMs} ms after SIGTERM with ${unsent.length} of ${ROWS} rows handed back (${resumed.length} mid-delivery); the second delivered them in ${drainMs} ms`);
  });
});
