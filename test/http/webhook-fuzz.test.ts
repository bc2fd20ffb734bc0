/**
 * Property-based fuzzing of the webhook endpoints: malformed and hostile
 * bodies and headers — unsigned, wrongly signed, and correctly signed but
 * broken. Every answer must be a 4xx or a 200 "ignored", never a 2xx that
 * stores anything, never a 5xx, and the database must be unchanged.
 */
import { createHmac } from 'node:crypto';
import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/database.ts';
import type { Vendor } from '../../src/trackers/tracker-event.ts';
import { openTestStore, testDialects } from '../support/databases.ts';
import { jiraAppHeaders, jiraAppToken, readFixture, vendorHeaders, withLinearTimestamp } from '../trackers/support/vendor-requests.ts';
import { dbSnapshot } from './support/db-snapshot.ts';
import { SECRET_OF, startTestServer, type TestServer } from './support/test-server.ts';

const VENDORS: Vendor[] = ['jira', 'github', 'gitlab', 'linear', 'azure-devops'];
const FIXTURE: Record<Vendor, string> = {
  jira: readFixture('jira', 'issue_updated_status.json'),
  github: readFixture('github', 'issues_opened.json'),
  gitlab: readFixture('gitlab', 'issue_closed.json'),
  linear: readFixture('linear', 'issue_update.json'),
  'azure-devops': readFixture('azure-devops', 'workitem_updated_state.json'),
};

/** Required fields of each fixture and the JSON type they must have. */
const REQUIRED: Record<Vendor, [string[], 'string' | 'number' | 'object' | 'array'][]> = {
  jira: [[['issue'], 'object'], [['issue', 'key'], 'string'], [['issue', 'fields'], 'object'], [['issue', 'fields', 'issuetype'], 'object'], [['issue', 'fields', 'issuetype', 'name'], 'string'], [['issue', 'fields', 'project', 'key'], 'string'], [['changelog', 'items'], 'array']],
  github: [[['issue'], 'object'], [['issue', 'number'], 'number'], [['issue', 'title'], 'string'], [['issue', 'state'], 'string'], [['issue', 'created_at'], 'string'], [['repository', 'full_name'], 'string'], [['repository'], 'object']],
  gitlab: [[['object_attributes'], 'object'], [['object_attributes', 'iid'], 'number'], [['object_attributes', 'title'], 'string'], [['object_attributes', 'state'], 'string'], [['object_attributes', 'created_at'], 'string'], [['project', 'path_with_namespace'], 'string']],
  linear: [[['data'], 'object'], [['data', 'id'], 'string'], [['data', 'number'], 'number'], [['data', 'title'], 'string'], [['data', 'state'], 'object'], [['data', 'updatedAt'], 'string'], [['data', 'createdAt'], 'string']],
  'azure-devops': [[['id'], 'string'], [['resource'], 'object'], [['resource', 'workItemId'], 'number']],
};

const hostileString = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', '', '\u0000', '\ud800', '💥'.repeat(50), '$' + '{7*7}', "'; drop table work_item; --", '../../etc/passwd', 'a'.repeat(5000));
const hostileKey = fc.oneof(hostileString, fc.string({ maxLength: 8 }));
const hostileJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(null, true, false, 0, -1, 1e308, -0, Number.MAX_SAFE_INTEGER + 2),
    hostileString,
    fc.string({ maxLength: 20 }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(hostileKey, tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** A value of any JSON type except `type` (so the field is certainly invalid). */
function wrongValue(type: string): fc.Arbitrary<unknown> {
  const choices: fc.Arbitrary<unknown>[] = [fc.constant(null), fc.boolean()];
  if (type !== 'string') choices.push(hostileString);
  if (type !== 'number') choices.push(fc.constantFrom(0, -3, 1.5, 1e21));
  if (type === 'number') choices.push(fc.constantFrom(-7, 2.5, '12')); // not a non-negative integer
  if (type !== 'array') choices.push(fc.array(hostileJson, { maxLength: 3 }));
  if (type !== 'object') choices.push(fc.dictionary(hostileKey, hostileJson, { maxKeys: 3 }));
  return fc.oneof(...choices);
}

function setPath(target: any, path: string[], value: unknown, remove: boolean): void {
  let node = target;
  for (const part of path.slice(0, -1)) {
    if (node[part] === null || typeof node[part] !== 'object') node[part] = {};
    node = node[part];
  }
  const last = path[path.length - 1];
  if (remove) delete node[last];
  else node[last] = value;
}

interface Attack {
  vendor: Vendor;
  body: string;
  headers: Record<string, string>;
  label: string;
}

const hmac = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('hex');

/** A correctly signed body that is broken: a required field of the wrong type, or missing. */
const signedBroken: fc.Arbitrary<Attack> = fc
  .constantFrom(...VENDORS)
  .chain((vendor) =>
    fc.record({
      vendor: fc.constant(vendor),
      field: fc.constantFrom(...REQUIRED[vendor]),
      remove: fc.boolean(),
      junk: fc.dictionary(hostileKey, hostileJson, { maxKeys: 3 }),
    }).chain(({ field, remove, junk }) =>
      wrongValue(field[1]).map((value): Attack => {
        const json = JSON.parse(vendor === 'linear' ? withLinearTimestamp(FIXTURE.linear, Date.now()) : FIXTURE[vendor]);
        Object.assign(json, Object.fromEntries(Object.entries(junk).filter(([k]) => !['webhookEvent', 'action', 'type', 'eventType', 'object_kind', 'webhookTimestamp', 'id', 'issue', 'data', 'resource', 'repository', 'project', 'object_attributes'].includes(k))));
        setPath(json, field[0], value, remove);
        const body = JSON.stringify(json);
        return { vendor, body, headers: vendorHeaders(vendor, SECRET_OF[vendor], body), label: `signed, ${field[0].join('.')} ${remove ? 'removed' : 'wrong type'}` };
      }),
    ),
  );

/** A correctly signed body that is not what the vendor sends at all. */
const signedGarbage: fc.Arbitrary<Attack> = fc
  .record({
    vendor: fc.constantFrom(...VENDORS),
    body: fc.oneof(
      fc.string({ maxLength: 200 }),
      hostileJson.map((v) => JSON.stringify(v) ?? 'null'),
      fc.constantFrom('[', '{"a":', '\u0000\u0001', '[]'.repeat(10), '['.repeat(5000) + ']'.repeat(5000), '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"x":1}}}'),
      fc.dictionary(hostileKey, hostileJson, { maxKeys: 5 }).map((o) => JSON.stringify(o)),
    ),
  })
  .map(({ vendor, body }): Attack => ({ vendor, body, headers: vendorHeaders(vendor, SECRET_OF[vendor], body), label: 'signed garbage' }));

/** Unsigned, wrongly signed, or signed for another body; with hostile header values. */
const badlySigned: fc.Arbitrary<Attack> = fc
  .record({
    vendor: fc.constantFrom(...VENDORS),
    mode: fc.constantFrom('none', 'wrong-secret', 'other-body', 'garbage', 'truncated', 'uppercase-prefix'),
    garbage: fc.string({ maxLength: 100 }),
    body: fc.oneof(fc.constantFrom(...Object.values(FIXTURE)), fc.string({ maxLength: 100 })),
    extra: fc.dictionary(fc.constantFrom('x-github-event', 'x-gitlab-event', 'content-type', 'x-github-delivery', 'linear-delivery', 'x-atlassian-webhook-identifier', 'idempotency-key'), fc.string({ maxLength: 40 }), { maxKeys: 3 }),
  })
  .map(({ vendor, mode, garbage, body, extra }): Attack => {
    const good = vendorHeaders(vendor, SECRET_OF[vendor], body);
    let headers: Record<string, string> = { ...good, ...extra };
    const signatureHeader = { jira: 'x-hub-signature', github: 'x-hub-signature-256', gitlab: 'x-gitlab-token', linear: 'linear-signature', 'azure-devops': 'authorization' }[vendor];
    const prefix = vendor === 'jira' || vendor === 'github' ? 'sha256=' : '';
    if (mode === 'none') delete headers[signatureHeader];
    else if (mode === 'wrong-secret') headers = { ...vendorHeaders(vendor, 'not-the-secret', body), ...extra };
    else if (mode === 'other-body') headers[signatureHeader] = vendor === 'gitlab' ? `${SECRET_OF.gitlab}\u0000` : vendor === 'azure-devops' ? `Basic ${Buffer.from(`u:${garbage}x`).toString('base64')}` : prefix + hmac(SECRET_OF[vendor], `${body} `);
    else if (mode === 'garbage') headers[signatureHeader] = `${garbage}!`;
    else if (mode === 'truncated') headers[signatureHeader] = good[signatureHeader].slice(0, -1);
    else headers[signatureHeader] = `SHA256=${garbage}`;
    return { vendor, body, headers, label: `badly signed (${mode})` };
  });

/** Jira app deliveries (Connect JWT, OAuth 2.0 Bearer): broken bodies with valid tokens, and bad tokens. */
const jiraAppAttack: fc.Arbitrary<Attack> = fc
  .record({
    scheme: fc.constantFrom('JWT' as const, 'Bearer' as const),
    mode: fc.constantFrom('valid-broken-body', 'expired', 'wrong-secret', 'wrong-qsh', 'alg-none', 'garbage', 'no-exp'),
    garbage: fc.string({ maxLength: 60 }),
    body: fc.oneof(fc.constant(FIXTURE.jira), fc.string({ maxLength: 100 }), hostileJson.map((v) => JSON.stringify(v) ?? 'null')),
  })
  .map(({ scheme, mode, garbage, body }): Attack => {
    const now = Date.now();
    const secret = SECRET_OF.jira;
    let headers: Record<string, string>;
    if (mode === 'valid-broken-body') headers = jiraAppHeaders(scheme, secret, now);
    else if (mode === 'expired') headers = jiraAppHeaders(scheme, secret, now - 3_600_000);
    else if (mode === 'wrong-secret') headers = jiraAppHeaders(scheme, 'not-the-secret', now);
    else if (mode === 'wrong-qsh') headers = jiraAppHeaders('JWT', secret, now, { canonical: `POST&/webhooks/jira&x=${encodeURIComponent(garbage)}` });
    else if (mode === 'alg-none') headers = { authorization: `${scheme} ${jiraAppToken(secret, { exp: now / 1000 + 60 }, { alg: 'none' }).split('.').slice(0, 2).join('.')}.` };
    else if (mode === 'no-exp') headers = { authorization: `${scheme} ${jiraAppToken(secret, { iat: now / 1000 }, { qshFor: 'POST&/webhooks/jira&' })}` };
    else headers = { authorization: `${scheme} ${garbage}` };
    const sent = mode === 'valid-broken-body' && body === FIXTURE.jira ? body.replace('"issue"', '"issue_"') : body;
    return { vendor: 'jira', body: sent, headers, label: `jira app ${scheme} (${mode})` };
  });

const attack = fc.oneof(signedBroken, signedGarbage, badlySigned, jiraAppAttack);

function allowed(status: number, json: any): boolean {
  if (status === 200) return typeof json?.ignored === 'string';
  return status >= 400 && status < 500;
}

for (const dialect of testDialects()) {
  describe(`webhook fuzzing (${dialect})`, () => {
    let store: Store;
    let server: TestServer;
    beforeAll(async () => {
      store = await openTestStore(dialect);
      server = await startTestServer(store);
    });
    afterAll(async () => {
      await server?.close();
      await store?.close();
    });

    it(`${dialect === 'sqlite' ? '10,000' : '2,000'} hostile requests in process: only 4xx or 200 ignored, nothing stored`, async () => {
      const before = await dbSnapshot(store);
      const statuses = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(attack, async (a) => {
          const res = await server.httpServer.request({ method: 'POST', path: `/webhooks/${a.vendor}`, headers: a.headers, body: a.body });
          const json = typeof res.body === 'object' && !Buffer.isBuffer(res.body) ? res.body : undefined;
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (!allowed(res.status, json)) throw new Error(`${a.label}: answered ${res.status} ${JSON.stringify(res.body)}`);
        }),
        { numRuns: dialect === 'sqlite' ? 10_000 : 2_000 },
      );
      await server.processor.idle();
      expect(await dbSnapshot(store)).toEqual(before);
      // the three kinds of refusal all occur
      expect(statuses.get(400)).toBeGreaterThan(100);
      expect(statuses.get(401)).toBeGreaterThan(100);
      expect(statuses.get(202)).toBeUndefined();
    });

    it('300 hostile requests over real HTTP, and malformed HTTP on a raw socket: the server keeps answering', async () => {
      const before = await dbSnapshot(store);
      const printable = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).filter(([, v]) => /^[\t\x20-\x7e]*$/.test(v)));
      await fc.assert(
        fc.asyncProperty(attack, async (a) => {
          const res = await server.post(a.vendor, a.body, printable(a.headers));
          if (!allowed(res.status, res.json)) throw new Error(`${a.label}: answered ${res.status} ${JSON.stringify(res.json)}`);
        }),
        { numRuns: 300 },
      );
      for (const raw of [
        'POST /webhooks/jira HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n{}',
        'POST /webhooks/github HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
        'GARBAGE\r\n\r\n',
        `POST /webhooks/gitlab HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n{`,
      ]) {
        await new Promise<void>((resolve) => {
          const socket = connect(Number(new URL(server.url).port), '127.0.0.1', () => socket.end(raw));
          socket.on('data', () => {});
          socket.on('close', () => resolve());
          socket.on('error', () => resolve());
          setTimeout(() => { socket.destroy(); resolve(); }, 2000);
        });
      }
      const health = await fetch(`${server.url}/healthz`);
      expect(health.status).toBe(200);
      await server.processor.idle();
      expect(await dbSnapshot(store)).toEqual(before);
    });
  });
}
