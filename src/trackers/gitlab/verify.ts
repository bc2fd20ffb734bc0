/**
 * GitLab sends the configured secret token verbatim in `X-Gitlab-Token`; there
 * is no HMAC over the body and no timestamp. Compared in constant time.
 */
import { safeEqual } from '../verify-hmac.ts';
import type { Headers, RawBody, VerifyResult } from '../tracker-event.ts';

export function verify(secret: string, _rawBody: RawBody, headers: Headers, _now: number): VerifyResult {
  if (!secret) return { ok: false, reason: 'no webhook secret is configured for this source' };
  const token = headers['x-gitlab-token'];
  if (token === undefined || token === '') return { ok: false, reason: 'missing X-Gitlab-Token header' };
  if (!safeEqual(token, secret)) return { ok: false, reason: 'X-Gitlab-Token does not match the configured secret token' };
  return { ok: true };
}
