/**
 * Test helpers: real fixture bodies, and the headers each vendor sends, signed
 * exactly as the vendor signs them (written here with node:crypto, not with
 * the code under test).
 */
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Vendor } from '../../../src/trackers/tracker-event.ts';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures');

/** The fixture file as the exact bytes a vendor would send. */
export function readFixture(vendor: Vendor, name: string): string {
  return readFileSync(join(FIXTURES, vendor, name), 'utf8');
}

function hmacHex(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body, 'utf8').digest('hex');
}

/** Lower-case headers of a genuine delivery of `body` from `vendor`, signed with `secret`. */
export function vendorHeaders(
  vendor: Vendor,
  secret: string,
  body: string,
  options: { deliveryId?: string; githubEvent?: string; gitlabEvent?: string } = {},
): Record<string, string> {
  const id = options.deliveryId ?? randomUUID();
  const json = { 'content-type': 'application/json' };
  switch (vendor) {
    case 'jira':
      return { ...json, 'x-hub-signature': `sha256=${hmacHex(secret, body)}`, 'x-atlassian-webhook-identifier': id };
    case 'github':
      return {
        ...json,
        'x-hub-signature-256': `sha256=${hmacHex(secret, body)}`,
        'x-github-event': options.githubEvent ?? 'issues',
        'x-github-delivery': id,
        'user-agent': 'GitHub-Hookshot/abc123',
      };
    case 'gitlab':
      return { ...json, 'x-gitlab-token': secret, 'x-gitlab-event': options.gitlabEvent ?? 'Issue Hook', 'x-gitlab-event-uuid': id };
    case 'linear':
      return { ...json, 'linear-signature': hmacHex(secret, body), 'linear-delivery': id, 'linear-event': 'Issue' };
    case 'azure-devops':
      return { ...json, authorization: `Basic ${Buffer.from(`flow-nudge:${secret}`).toString('base64')}` };
  }
}

/** Linear's fixture with a fresh webhookTimestamp (Linear re-signs each send), as raw text. */
export function withLinearTimestamp(body: string, timestamp: number): string {
  return body.replace(/"webhookTimestamp":\s*\d+/, `"webhookTimestamp": ${timestamp}`);
}

/** Azure DevOps fixture with a new event id (each event has its own), re-serialised as Azure does (indent 2). */
export function withAzureId(body: string, id: string): string {
  return JSON.stringify({ ...(JSON.parse(body) as object), id }, null, 2);
}

/**
 * An HS256 token as Jira signs app webhooks (written here with node:crypto):
 * Connect (`qshFor`: the request it is bound to) or OAuth 2.0 (no qsh).
 */
export function jiraAppToken(secret: string, claims: Record<string, unknown>, options: { alg?: string; qshFor?: string } = {}): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const qsh = options.qshFor !== undefined ? { qsh: createHash('sha256').update(options.qshFor).digest('hex') } : {};
  const signed = `${part({ alg: options.alg ?? 'HS256', typ: 'JWT' })}.${part({ ...claims, ...qsh })}`;
  return `${signed}.${createHmac('sha256', secret).update(signed).digest('base64url')}`;
}

/** Headers of a Jira app delivery: `JWT` (Connect, qsh over POST /webhooks/jira) or `Bearer` (OAuth 2.0), valid for 3 minutes from `now`. */
export function jiraAppHeaders(scheme: 'JWT' | 'Bearer', secret: string, now: number, options: { exp?: number; canonical?: string } = {}): Record<string, string> {
  const iat = Math.floor(now / 1000);
  const claims = { iss: scheme === 'JWT' ? 'jira:15489595-b1ba-4d04-a4d1-6f6f4a2a8d11' : 'c1d2e3f4-oauth-client', iat, exp: options.exp ?? iat + 180 };
  const token = jiraAppToken(secret, claims, scheme === 'JWT' ? { qshFor: options.canonical ?? 'POST&/webhooks/jira&' } : {});
  return { 'content-type': 'application/json', authorization: `${scheme} ${token}`, 'x-atlassian-webhook-identifier': randomUUID() };
}
