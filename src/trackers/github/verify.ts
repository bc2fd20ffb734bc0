/**
 * GitHub signs every delivery of a hook with a secret:
 * `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, raw body)>`. The legacy
 * sha1 `X-Hub-Signature` is ignored. GitHub sends no timestamp to check.
 */
import { verifyHmacHeader } from '../verify-hmac.ts';
import type { Headers, RawBody, VerifyResult } from '../tracker-event.ts';

export function verify(secret: string, rawBody: RawBody, headers: Headers, _now: number): VerifyResult {
  return verifyHmacHeader(secret, rawBody, headers['x-hub-signature-256'], 'sha256=', 'X-Hub-Signature-256');
}
