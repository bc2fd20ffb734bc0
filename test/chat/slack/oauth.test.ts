import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mountSlack } from '../../../src/chat/slack/index.ts';
import { openSecret } from '../../../src/chat/slack/secret-box.ts';
import { createHttpServer } from '../../../src/http/server.ts';
import { getInstallation } from '../../../src/store/installations.ts';
import { openTestStore, testDialects } from '../../support/databases.ts';
import { postSigned } from './support/sign.ts';
import { SIGNING_SECRET, startSlackHarness, type SlackHarness } from './support/harness.ts';
import { useChartRenderer } from '../../support/chart-renderer.ts';

const charts = useChartRenderer();

const KEY = randomBytes(32);

describe.each(testDialects())('Slack multi-workspace OAuth (%s)', (dialect) => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness({
      dialect,
      env: { SLACK_BOT_TOKEN: '', SLACK_CLIENT_ID: '111.222', SLACK_CLIENT_SECRET: 'client-secret', FLOW_NUDGE_SECRET_KEY: KEY.toString('base64'), SLACK_REDIRECT_URI: 'https://flow.example.com/slack/oauth_redirect' },
    });
  });
  afterAll(async () => {
    await h.close();
  });

  async function install(): Promise<{ state: string; cookie: string }> {
    const res = await fetch(`${h.url}/slack/install`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(location.origin + location.pathname).toBe('https://slack.com/oauth/v2/authorize');
    expect(location.searchParams.get('client_id')).toBe('111.222');
    expect(location.searchParams.get('scope')).toContain('files:write');
    expect(location.searchParams.get('redirect_uri')).toBe('https://flow.example.com/slack/oauth_redirect');
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    return { state: location.searchParams.get('state')!, cookie };
  }

  it('refuses a callback whose state this server did not issue, or without the browser cookie', async () => {
    const forged = await fetch(`${h.url}/slack/oauth_redirect?code=abc&state=1.2.forged`);
    expect(forged.status).toBe(401);
    const { state } = await install();
    const noCookie = await fetch(`${h.url}/slack/oauth_redirect?code=abc&state=${encodeURIComponent(state)}`);
    expect(noCookie.status).toBe(401);
    expect(await noCookie.text()).toContain('state cookie');
    expect(h.fake.callsTo('oauth.v2.access')).toHaveLength(0);
  });

  it('answers 401, not 500, to a state whose MAC is odd: 43 non-ASCII characters, too long, empty', async () => {
    const { state } = await install();
    const [issuedAt, nonce] = state.split('.');
    for (const mac of ['é'.repeat(43), '€'.repeat(43), 'a'.repeat(500), '', '..']) {
      const res = await fetch(`${h.url}/slack/oauth_redirect?code=abc&state=${encodeURIComponent(`${issuedAt}.${nonce}.${mac}`)}`);
      expect(res.status, `mac ${JSON.stringify(mac)}`).toBe(401);
      expect(await res.text()).toContain('not one this server issued');
    }
    expect(h.fake.callsTo('oauth.v2.access')).toHaveLength(0);
  });

  it('stores the installation encrypted on the callback, and uses its token for that workspace', async () => {
    const { state, cookie } = await install();
    const res = await fetch(`${h.url}/slack/oauth_redirect?code=the-code&state=${encodeURIComponent(state)}`, { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Installed in New Team');
    const [exchange] = h.fake.callsTo('oauth.v2.access');
    expect(exchange!.params).toMatchObject({ code: 'the-code', client_id: '111.222', client_secret: 'client-secret', redirect_uri: 'https://flow.example.com/slack/oauth_redirect' });

    const row = await getInstallation(h.store.db, 'slack', 'T0NEW');
    expect(row).not.toBeNull();
    expect(row!.dataEncrypted).not.toContain('xoxb-fake-installed-token');
    expect(row!.dataEncrypted).toMatch(/^v1\./);
    const installation = JSON.parse(openSecret(KEY, row!.dataEncrypted, 'slack:T0NEW'));
    expect(installation.bot).toMatchObject({ token: 'xoxb-fake-installed-token', userId: 'UBOT2', id: 'BBOT' });
    expect(() => openSecret(randomBytes(32), row!.dataEncrypted, 'slack:T0NEW')).toThrow(/FLOW_NUDGE_SECRET_KEY/);

    await h.command('streams', { team_id: 'T0NEW', channel_id: 'C-NEWTEAM', user_id: 'U-NEW' });
    const [answer] = await h.fake.waitFor('chat.postEphemeral', (c) => c.params.channel === 'C-NEWTEAM');
    expect(answer!.token).toBe('xoxb-fake-installed-token');
  });

  it('ignores a workspace that never installed, and deletes the installation on app_uninstalled', async () => {
    await h.command('help', { team_id: 'T-STRANGER', channel_id: 'C-STRANGER' });
    // the refusal is logged once the request was handled: wait for it rather than for a fixed time
    await expect.poll(() => h.logs.some((line) => line.includes('not installed in Slack workspace T-STRANGER')), { timeout: 5000 }).toBe(true);
    expect(h.fake.calls.filter((c) => c.params.channel === 'C-STRANGER')).toHaveLength(0);

    const body = JSON.stringify({
      token: 'legacy', team_id: 'T0NEW', api_app_id: 'A0FAKE', type: 'event_callback', event_id: 'Ev-un', event_time: Math.floor(Date.now() / 1000) + 1,
      event: { type: 'app_uninstalled', event_ts: '1.1' },
    });
    const res = await postSigned(`${h.url}/slack/events`, SIGNING_SECRET, body, { contentType: 'application/json' });
    expect(res.status).toBe(200);
    await expect.poll(() => getInstallation(h.store.db, 'slack', 'T0NEW'), { timeout: 5000 }).toBeNull();
  });

  it('keeps a reinstall that happened after the uninstall event, and deletes on tokens_revoked', async () => {
    const { state, cookie } = await install();
    expect((await fetch(`${h.url}/slack/oauth_redirect?code=again&state=${encodeURIComponent(state)}`, { headers: { cookie } })).status).toBe(200);
    const late = JSON.stringify({
      token: 'legacy', team_id: 'T0NEW', api_app_id: 'A0FAKE', type: 'event_callback', event_id: 'Ev-late', event_time: Math.floor(Date.now() / 1000) - 60,
      event: { type: 'app_uninstalled', event_ts: '1.1' },
    });
    expect((await postSigned(`${h.url}/slack/events`, SIGNING_SECRET, late, { contentType: 'application/json' })).status).toBe(200);
    // the handler logs what it deleted: wait for that line, then check it deleted nothing
    await expect.poll(() => h.logs.some((line) => line.includes('app_uninstalled for T0NEW: 0 installations deleted')), { timeout: 5000 }).toBe(true);
    expect(await getInstallation(h.store.db, 'slack', 'T0NEW')).not.toBeNull();

    const revoked = JSON.stringify({
      token: 'legacy', team_id: 'T0NEW', api_app_id: 'A0FAKE', type: 'event_callback', event_id: 'Ev-rev', event_time: Math.floor(Date.now() / 1000) + 1,
      event: { type: 'tokens_revoked', tokens: { oauth: [], bot: ['UBOT2'] }, event_ts: '1.2' },
    });
    expect((await postSigned(`${h.url}/slack/events`, SIGNING_SECRET, revoked, { contentType: 'application/json' })).status).toBe(200);
    await expect.poll(() => getInstallation(h.store.db, 'slack', 'T0NEW'), { timeout: 5000 }).toBeNull();
  });
});

describe('FLOW_NUDGE_SECRET_KEY at start', () => {
  it('is required in production for multi-workspace installs, and the error says how to make one', async () => {
    const store = await openTestStore('sqlite');
    const httpServer = createHttpServer({ log: { error() {} } });
    const log = { info() {}, warn() {}, error() {} };
    const env = { NODE_ENV: 'production', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_CLIENT_ID: '1', SLACK_CLIENT_SECRET: '2' };
    await expect(mountSlack({ httpServer, store, charts, env, log })).rejects.toThrow(/FLOW_NUDGE_SECRET_KEY is not set[\s\S]*randomBytes\(32\)\.toString\('base64'\)/);
    await expect(mountSlack({ httpServer, store, charts, env: { ...env, FLOW_NUDGE_SECRET_KEY: 'c2hvcnQ=' }, log })).rejects.toThrow(/32 bytes/);
    await expect(mountSlack({ httpServer, store, charts, env: { SLACK_SIGNING_SECRET: SIGNING_SECRET }, log })).rejects.toThrow(/SLACK_BOT_TOKEN .* or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET/);
    await store.close();
  });
});
