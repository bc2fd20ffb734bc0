/**
 * Azure DevOps service hooks carry no signature. The Web Hooks consumer sends
 * HTTP Basic auth with the username and password set on the subscription; the
 * secret is `username:password` (or just the password, then any username is
 * accepted). Compared in constant time. No timestamp is signed.
 */
import { safeEqual } from '../verify-hmac.ts';
import type { Headers, RawBody, VerifyResult } from '../tracker-event.ts';

export function verify(secret: string, _rawBody: RawBody, headers: Headers, _now: number): VerifyResult {
  if (!secret) return { ok: false, reason: 'no webhook secret is configured for this source' };
  const header = headers.authorization;
  if (!header) return { ok: false, reason: 'missing Authorization header: set Basic authentication on the Azure DevOps service hook' };
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!m) return { ok: false, reason: 'Authorization is not Basic: set Basic authentication on the Azure DevOps service hook' };
  const credentials = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = credentials.indexOf(':');
  const given = secret.includes(':') ? credentials : colon >= 0 ? credentials.slice(colon + 1) : credentials;
  if (!safeEqual(given, secret)) return { ok: false, reason: 'Basic credentials do not match the configured secret' };
  return { ok: true };
}
