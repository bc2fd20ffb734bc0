/**
 * Slack unreachable while the bot starts (`flow-nudge start`, a real process on a real port):
 * the bot keeps running, stores signed Jira deliveries, says in its log that it retries; once the
 * fake Slack comes up on the SLACK_API_URL it was given, a signed `/flow help` is answered,
 * without a restart.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../../src/store/database.ts';
import { readFixture, vendorHeaders } from '../../trackers/support/vendor-requests.ts';
import { startFlowNudge } from '../../support/start-flow-nudge.ts';
import { startFakeSlack, type FakeSlack } from './support/fake-slack.ts';
import { postSigned, slashCommandBody } from './support/sign.ts';

const SIGNING_SECRET = 'unreachable-signing-secret';
const JIRA_SECRET = 'unreachable-jira-secret';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('Slack unreachable at start', () => {
  const cleanups: (() => unknown)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('keeps running, stores webhooks, retries, and answers /flow help once Slack is up', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flow-nudge-unreachable-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const config = join(dir, 'flow-nudge.yaml');
    writeFileSync(
      config,
      [
        'streams:',
        '  - name: web',
        '    map:',
        '      timeZone: UTC',
        '      stages:',
        '        - { name: Backlog, kind: backlog, statuses: [To Do] }',
        '        - { name: Development, kind: touch, statuses: [In Progress] }',
        '        - { name: Done, kind: done, statuses: [Done] }',
        '    sources:',
        '      - { vendor: jira, project: TES, secretEnv: JIRA_SECRET }',
        '',
      ].join('\n'),
    );
    const slackPort = await freePort(); // nothing listens here yet
    const bot = startFlowNudge({
      cwd: dir,
      env: {
        PORT: '0',
        DATABASE_URL: `file:${join(dir, 'bot.db')}`,
        FLOW_NUDGE_CONFIG: config,
        JIRA_SECRET,
        SLACK_BOT_TOKEN: 'xoxb-unreachable-test',
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: `http://127.0.0.1:${slackPort}/api/`,
      },
    });
    cleanups.push(() => bot.kill());
    const port = await bot.ready();
    const url = `http://127.0.0.1:${port}`;
    expect(bot.log()).toMatch(/cannot reach Slack to identify the bot .*trying again in \d+ s/);

    // Webhooks are stored (and processed) while Slack is away.
    const body = readFixture('jira', 'issue_updated_status.json');
    const stored = await fetch(`${url}/webhooks/jira`, { method: 'POST', body, headers: vendorHeaders('jira', JIRA_SECRET, body, { deliveryId: 'while-slack-is-down' }) });
    expect(stored.status).toBe(202);
    await until('the delivery to be processed', async () => {
      const health = (await (await fetch(`${url}/healthz`)).json()) as { deliveries: Record<string, number> };
      return health.deliveries.pending === 0 && health.deliveries.failed === 0 ? true : undefined;
    }, 20_000);
    const check = await openSqliteStore(join(dir, 'bot.db'));
    try {
      const rows = await check.db.selectFrom('webhook_delivery').select(['delivery_id', 'state']).execute();
      expect(rows).toEqual([{ delivery_id: 'while-slack-is-down', state: 'done' }]);
    } finally {
      await check.close();
    }

    // Slack comes up on the URL the bot was given; the bot finds it on its own.
    const fake: FakeSlack = await startFakeSlack({ port: slackPort });
    cleanups.push(() => fake.close());
    await until('the log to say Slack is reachable', () => (/Slack is reachable again/.test(bot.log()) ? true : undefined), 30_000);
    expect(fake.callsTo('auth.test').length).toBeGreaterThan(0);

    const help = await postSigned(`${url}/slack/commands`, SIGNING_SECRET, slashCommandBody({ text: 'help', response_url: fake.responseUrl }));
    expect(help.status).toBe(200);
    const [answer] = await fake.waitFor('chat.postEphemeral', (call) => call.params.user === 'U0ASKER', { timeoutMs: 20_000 });
    expect(JSON.stringify(answer!.params.blocks)).toContain('/flow');
    expect(bot.child.exitCode).toBe(null);

    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
  });
});
