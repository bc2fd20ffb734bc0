/**
 * Jira app webhooks: Connect (`Authorization: JWT`, qsh) and OAuth 2.0
 * dynamic webhooks (`Authorization: Bearer`), signed in the test with
 * node:crypto as Jira signs them; through the verifier and the real route.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.ts';
import { canonicalRequest } from '../../src/trackers/jira/verify-jwt.ts';
import { verify } from '../../src/trackers/jira/verify.ts';
import type { Store } from '../../src/store/database.ts';
import { getStream } from '../../src/store/value-streams.ts';
import { getWorkItem } from '../../src/store/work-items.ts';
import { openTestStore, testDialects } from '../support/databases.ts';
import { startTestServer, type TestServer } from '../http/support/test-server.ts';
import { jiraAppHeaders, jiraAppToken, readFixture } from './support/vendor-requests.ts';

const SHARED = 'connect-shared-secret-of-the-installation';
const CLIENT = 'oauth-client-secret-of-the-app';
const NOW = Date.UTC(2026, 11, 3, 7, 0, 0);
const body = readFixture('jira', 'issue_updated_status.json');
const request = (path = '/webhooks/jira', query = '') => ({ method: 'POST', url: new URL(`http://localhost${path}${query}`) });

describe('jira app webhook verify', () => {
  it('accepts a Connect JWT bound to this request, and an OAuth 2.0 Bearer token', () => {
    expect(verify(SHARED, body, jiraAppHeaders('JWT', SHARED, NOW), NOW, request())).toEqual({ ok: true });
    expect(verify(CLIENT, body, jiraAppHeaders('Bearer', CLIENT, NOW), NOW, request())).toEqual({ ok: true });
  });

  it('refuses an expired token, a token signed with another key, alg none, and a token without exp', () => {
    const expired = jiraAppHeaders('Bearer', CLIENT, NOW - 3_600_000);
    expect(verify(CLIENT, body, expired, NOW, request())).toMatchObject({ ok: false, reason: expect.stringContaining('expired') });
    expect(verify(CLIENT, body, jiraAppHeaders('Bearer', 'another-app', NOW), NOW, request())).toMatchObject({ ok: false, reason: expect.stringContaining('not signed with the configured secret') });
    expect(verify(SHARED, body, jiraAppHeaders('JWT', 'another-installation', NOW), NOW, request()).ok).toBe(false);
    const none = `${jiraAppToken(CLIENT, { exp: NOW / 1000 + 60 }, { alg: 'none' }).split('.').slice(0, 2).join('.')}.`;
    expect(verify(CLIENT, body, { authorization: `Bearer ${none}` }, NOW, request())).toMatchObject({ ok: false, reason: expect.stringContaining('HS256') });
    const noExp = jiraAppToken(CLIENT, { iat: NOW / 1000 });
    expect(verify(CLIENT, body, { authorization: `Bearer ${noExp}` }, NOW, request())).toMatchObject({ ok: false, reason: expect.stringContaining('no exp') });
  });

  it('refuses a Connect JWT whose qsh was computed for another method, path or query', () => {
    for (const canonical of ['GET&/webhooks/jira&', 'POST&/webhooks/github&', 'POST&/webhooks/jira&user_id=admin']) {
      const headers = jiraAppHeaders('JWT', SHARED, NOW, { canonical });
      expect(verify(SHARED, body, headers, NOW, request())).toMatchObject({ ok: false, reason: expect.stringContaining('qsh does not match') });
    }
    // the query is part of the hash, jwt= is not
    const headers = jiraAppHeaders('JWT', SHARED, NOW, { canonical: 'POST&/webhooks/jira&a=x%20y&b=1,2' });
    expect(verify(SHARED, body, headers, NOW, request('/webhooks/jira', '?b=2&a=x+y&b=1&jwt=abc'))).toEqual({ ok: true });
  });

  it('refuses a missing or unknown Authorization header, naming both ways Jira signs', () => {
    expect(verify(SHARED, body, {}, NOW, request())).toMatchObject({ ok: false, reason: expect.stringMatching(/X-Hub-Signature.*Authorization/) });
    expect(verify(SHARED, body, { authorization: 'Basic dTpw' }, NOW, request())).toMatchObject({ ok: false, reason: expect.stringContaining('neither JWT') });
  });

  it('canonical request: upper-case method, no trailing slash, & in the path encoded, query sorted and RFC 3986 encoded', () => {
    expect(canonicalRequest({ method: 'post', path: '/a&b/', query: new URLSearchParams("z=1&a=it's*&a=b c") })).toBe("POST&/a%26b&a=b%20c,it%27s%2A&z=1");
    expect(canonicalRequest({ method: 'GET', path: '/', query: new URLSearchParams('') })).toBe('GET&/&');
  });
});

for (const dialect of testDialects()) {
  describe(`jira app webhooks through the route (${dialect})`, () => {
    let store: Store;
    let server: TestServer;
    beforeEach(async () => {
      store = await openTestStore(dialect);
      const config = await parseConfig({
        streams: [{
          name: 'web',
          map: { timeZone: 'UTC', stages: [{ name: 'Doing', kind: 'touch', statuses: ['To Do', 'In Progress'] }, { name: 'Done', kind: 'done', statuses: ['Done'] }] },
          sources: [
            { vendor: 'jira', project: 'TES', secretEnv: 'JIRA_CONNECT_SHARED_SECRET' },
            { vendor: 'jira', project: 'TES', secretEnv: 'JIRA_OAUTH_CLIENT_SECRET' },
          ],
        }],
      }, { path: null, env: { JIRA_CONNECT_SHARED_SECRET: SHARED, JIRA_OAUTH_CLIENT_SECRET: CLIENT } });
      server = await startTestServer(store, config);
    });
    afterEach(async () => {
      await server.close();
      await store.close();
    });

    it('valid JWT and Bearer deliveries are stored; expired, wrong key, wrong qsh and missing header get 401 and store nothing', async () => {
      const now = Date.now();
      const refused = [
        jiraAppHeaders('Bearer', CLIENT, now - 3_600_000),
        jiraAppHeaders('Bearer', 'not-the-client-secret', now),
        jiraAppHeaders('JWT', SHARED, now, { canonical: 'POST&/webhooks/jira/other&' }),
        { 'content-type': 'application/json' },
      ];
      for (const headers of refused) expect((await server.post('jira', body, headers)).status).toBe(401);
      await server.processor.idle();
      const stream = await getStream(store.db, 'web');
      expect(await getWorkItem(store.db, stream!.id, 'TES-41')).toBeNull();

      expect((await server.post('jira', body, jiraAppHeaders('JWT', SHARED, now))).status).toBe(202);
      const next = JSON.parse(body);
      next.timestamp += 100_000;
      next.changelog.items[0] = { ...next.changelog.items[0], fromString: 'In Progress', toString: 'Done' };
      const second = JSON.stringify(next);
      expect((await server.post('jira', second, jiraAppHeaders('Bearer', CLIENT, now))).status).toBe(202);
      await server.processor.idle();
      const item = await getWorkItem(store.db, stream!.id, 'TES-41');
      expect(item?.transitions.map((t) => `${t.from}→${t.to}`)).toEqual(['To Do→In Progress', 'In Progress→Done']);
    });
  });
}
