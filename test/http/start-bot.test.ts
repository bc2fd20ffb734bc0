/**
 * What `npm start` serves, read from the environment once (src/config/runtime.ts):
 * production never serves the playground nor anonymous Teams; anonymous Teams only in the
 * playground or with FLOW_NUDGE_TEAMS_ANONYMOUS=true, and then only towards a loopback
 * serviceUrl; with Teams credentials an Activity without a valid token gets 401.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startBot, type Bot } from '../../src/http/start-bot.ts';
import { readRuntime } from '../../src/config/runtime.ts';
import { readSecretKey } from '../../src/chat/slack/secret-box.ts';
import type { Logger } from '../../src/log/logger.ts';
import { startFakeSlack, type FakeSlack } from '../chat/slack/support/fake-slack.ts';
import { startFakeConnector, type FakeConnector } from '../chat/teams/support/fake-connector.ts';
import { messageActivity } from '../chat/teams/support/activities.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(env: Record<string, string>): Promise<{ bot: Bot; url: string; lines: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'flow-nudge-start-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'flow-nudge.yaml'), 'streams: []\n');
  const lines: string[] = [];
  const log: Logger = { info: (m) => lines.push(`info ${m}`), warn: (m) => lines.push(`warn ${m}`), error: (m) => lines.push(`error ${m}`) };
  const bot = await startBot({
    env: { PORT: '0', DATABASE_URL: `file:${join(dir, 'bot.db')}`, FLOW_NUDGE_CONFIG: join(dir, 'flow-nudge.yaml'), ...env },
    log,
    announce: (line) => lines.push(`announce ${line}`),
  });
  cleanups.push(() => bot.close());
  return { bot, url: `http://127.0.0.1:${bot.port}`, lines };
}

function post(url: string, body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}

async function fakeSlack(): Promise<FakeSlack> {
  const fake = await startFakeSlack();
  cleanups.push(() => fake.close());
  return fake;
}

async function fakeConnector(): Promise<FakeConnector> {
  const connector = await startFakeConnector();
  cleanups.push(() => connector.close());
  return connector;
}

describe('NODE_ENV is read once, in any letter case', () => {
  it.each(['production', 'Production', ' PRODUCTION '])('%j is production everywhere', (value) => {
    expect(readRuntime({ NODE_ENV: value }).production).toBe(true);
    // The Slack token box refuses the throw-away key in production, whatever the case.
    expect(() => readSecretKey({ NODE_ENV: value })).toThrow(/FLOW_NUDGE_SECRET_KEY is not set/);
  });

  it('refuses an opt-in value it does not understand, naming it', () => {
    expect(() => readRuntime({ FLOW_NUDGE_TEAMS_ANONYMOUS: 'yes please' })).toThrow(/FLOW_NUDGE_TEAMS_ANONYMOUS="yes please" is not valid/);
  });
});

describe('production without chat credentials', () => {
  it('serves no playground and no Teams endpoint, and says what it serves', async () => {
    const { bot, url, lines } = await start({ NODE_ENV: 'Production' });
    expect(bot.mode).toMatchObject({ playground: false, teams: false, teamsAnonymous: false, production: true });
    expect((await fetch(`${url}/`)).status).toBe(404);
    const command = await post(`${url}/playground/command`, JSON.stringify({ text: 'bind demo' }));
    expect(command.status).toBe(404);
    // The demo stream (and its public default secret 'playground') is not configured.
    const body = JSON.stringify({ webhookEvent: 'jira:issue_updated', timestamp: Date.now(), issue: { key: 'DEMO-1', fields: { project: { key: 'DEMO' } } } });
    const jira = await post(`${url}/webhooks/jira`, body, { 'x-hub-signature': `sha256=${createHmac('sha256', 'playground').update(body).digest('hex')}` });
    expect(jira.status).toBe(404);
    const teams = await post(`${url}/api/messages`, JSON.stringify(messageActivity('http://127.0.0.1:9/', 'personal', 'help')));
    expect(teams.status).toBe(404);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const ready = lines.find((line) => line.includes('ready on port'));
    expect(ready).toContain('production; serving tracker webhooks, healthz; off: Slack (no SLACK_SIGNING_SECRET), Teams (no clientId), playground (never in production)');
    expect(lines.some((line) => line.includes('unauthenticated'))).toBe(false);
  });

  it('refuses to start with the anonymous Teams opt-in', async () => {
    await expect(start({ NODE_ENV: 'production', FLOW_NUDGE_TEAMS_ANONYMOUS: 'true' })).rejects.toThrow(/FLOW_NUDGE_TEAMS_ANONYMOUS=true is not allowed when NODE_ENV is production/);
  });
});

describe('Teams is authenticated unless asked otherwise', () => {
  const slackEnv = async () => ({ SLACK_SIGNING_SECRET: 'secret-1', SLACK_BOT_TOKEN: 'xoxb-1', SLACK_API_URL: (await fakeSlack()).apiUrl });

  it('with only Slack configured, /api/messages is not served', async () => {
    const connector = await fakeConnector();
    const { bot, url, lines } = await start(await slackEnv());
    expect(bot.mode).toMatchObject({ slack: true, teams: false, teamsAnonymous: false, playground: false });
    const res = await post(`${url}/api/messages`, JSON.stringify(messageActivity(connector.serviceUrl, 'personal', 'help')));
    expect(res.status).toBe(404);
    expect(connector.calls).toEqual([]);
    expect(lines.find((line) => line.includes('ready on port'))).toContain('off: Teams (no clientId and FLOW_NUDGE_TEAMS_ANONYMOUS unset), playground (chat credentials are set)');
  });

  it('opted in: a loopback serviceUrl is answered, any other makes no outbound request', async () => {
    const connector = await fakeConnector();
    const { bot, url } = await start({ ...(await slackEnv()), FLOW_NUDGE_TEAMS_ANONYMOUS: 'true' });
    expect(bot.mode.teamsAnonymous).toBe(true);
    const local = await post(`${url}/api/messages`, JSON.stringify(messageActivity(connector.serviceUrl, 'personal', 'help')));
    expect(local.status).toBe(200);
    await connector.waitFor(/\/activities/);
    const before = connector.calls.length;
    // 0.0.0.0 reaches this machine's connector on Linux, but it is not a loopback name: refused before any call.
    const port = new URL(connector.serviceUrl).port;
    for (const serviceUrl of [`http://0.0.0.0:${port}/`, 'https://smba.trafficmanager.net/emea/', `http://[::ffff:127.0.0.1]:${port}/`]) {
      const res = await post(`${url}/api/messages`, JSON.stringify(messageActivity(serviceUrl, 'personal', 'help')));
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: string }).error).toContain(`serviceUrl "${serviceUrl}" is not http://localhost or 127.0.0.1`);
    }
    const missing = messageActivity(connector.serviceUrl, 'personal', 'help') as Record<string, unknown>;
    delete missing.serviceUrl;
    expect((await post(`${url}/api/messages`, JSON.stringify(missing))).status).toBe(403);
    expect(connector.calls.length).toBe(before);
  });

  it('with credentials, an Activity without a valid Bot Framework token gets 401', async () => {
    const connector = await fakeConnector();
    const { bot, url } = await start({ clientId: '00000000-0000-0000-0000-0000000000b1', clientSecret: 'not-a-real-secret', tenantId: '00000000-0000-0000-0000-0000000000f1' });
    expect(bot.mode).toMatchObject({ teams: true, teamsAnonymous: false, playground: false });
    const activity = JSON.stringify(messageActivity(connector.serviceUrl, 'personal', 'help'));
    const header = (claims: object) => `Bearer e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2ln`;
    for (const headers of [{} as Record<string, string>, { authorization: 'Bearer not-a-jwt' }, { authorization: header({ aud: 'someone-else', iss: 'https://api.botframework.com' }) }]) {
      const res = await post(`${url}/api/messages`, activity, headers);
      expect(res.status).toBe(401);
    }
    expect(connector.calls).toEqual([]);
  });
});
