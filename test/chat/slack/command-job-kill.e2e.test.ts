/**
 * Kill test: `/flow leadtime 30d` is acknowledged "Working on…", then the bot process is killed
 * with SIGKILL before it answers. After a restart (same database) the answer arrives — at the
 * fake Slack, exactly one answer message and one chart in the channel.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../../src/demo/load-demo.ts';
import { openSqliteStore } from '../../../src/store/database.ts';
import { countCommandJobs } from '../../../src/store/command-jobs.ts';
import { startFlowNudge } from '../../support/start-flow-nudge.ts';
import { startFakeSlack } from './support/fake-slack.ts';
import { postSigned, slashCommandBody } from './support/sign.ts';

const SIGNING_SECRET = 'kill-signing-secret';

describe('a promised answer survives SIGKILL', () => {
  const cleanups: (() => unknown)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('SIGKILL between "Working on…" and the answer: the answer arrives once after the restart', { timeout: 180_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flow-nudge-kill-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const dbPath = join(dir, 'bot.db');
    const seed = await openSqliteStore(dbPath);
    await loadDemo(seed, { now: Date.now() });
    await seed.close();
    const fake = await startFakeSlack();
    cleanups.push(() => fake.close());

    const start = async () => {
      const bot = startFlowNudge({
        cwd: dir,
        env: { PORT: '0', DATABASE_URL: `file:${dbPath}`, SLACK_BOT_TOKEN: 'xoxb-kill-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl },
      });
      cleanups.push(() => bot.kill());
      return { ...bot, url: `http://127.0.0.1:${await bot.ready()}` };
    };
    const command = (url: string, text: string) =>
      postSigned(`${url}/slack/commands`, SIGNING_SECRET, slashCommandBody({ text, channel_id: 'C-TEAM', response_url: fake.responseUrl }));

    let bot = await start();
    expect((await command(bot.url, 'bind demo')).status).toBe(200);
    await fake.waitFor('chat.postMessage', (c) => c.params.channel === 'C-TEAM' && /now follows the value stream demo/.test(c.params.text), { timeoutMs: 20_000 });

    const answers = () => fake.callsTo('chat.postMessage').filter((c) => c.params.channel === 'C-TEAM' && /Lead time of demo, last 30 days/.test(c.params.text));
    const promised = await command(bot.url, 'leadtime 30d');
    expect(JSON.parse(promised.text)).toEqual({ response_type: 'ephemeral', text: 'Working on /flow leadtime 30d…' });
    bot.child.kill('SIGKILL');
    await bot.exited;
    expect(answers()).toEqual([]); // killed before it answered
    const chartsBefore = fake.callsTo('files.completeUploadExternal').length;
    expect(chartsBefore).toBe(0);

    bot = await start();
    const [answer] = await fake.waitFor('chat.postMessage', (c) => c.params.channel === 'C-TEAM' && /Lead time of demo, last 30 days/.test(c.params.text), { timeoutMs: 90_000 });
    expect(answer).toBeDefined();
    await fake.waitFor('files.completeUploadExternal', (c) => c.params.channel_id === 'C-TEAM', { count: chartsBefore + 1, timeoutMs: 30_000 });

    // Done once: the job is finished and nothing answers it again.
    bot.child.kill('SIGTERM');
    await bot.exited;
    const check = await openSqliteStore(dbPath);
    try {
      expect(await countCommandJobs(check.db)).toEqual({ done: 2 }); // the bind and the leadtime
    } finally {
      await check.close();
    }
    expect(answers().length).toBe(1);
    // each chart of the answer once
    const charts = fake.callsTo('files.getUploadURLExternal').map((c) => c.params.filename);
    console.info(`charts uploaded: ${charts.join(', ')}`);
    expect(charts.length).toBeGreaterThan(0);
    expect(new Set(charts).size).toBe(charts.length);
    expect(fake.callsTo('files.completeUploadExternal').length).toBe(charts.length);
  });
});
