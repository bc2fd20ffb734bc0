/**
 * Jira Cloud admin webhooks saved with a secret send
 * `X-Hub-Signature: sha256=<hex HMAC-SHA256(secret, raw body)>`.
 * Jira sends no signing timestamp (the body's `timestamp` is the event time and
 * stays the same on retries), so there is no replay window; duplicates are
 * caught by X-Atlassian-Webhook-Identifier.
 */
import { verifyHmacHeader } from '../verify-hmac.ts';
import type { Headers, VerifyResult } from '../tracker-event.ts';

export function verify(secret: string, rawBody: string, headers: Headers, _now: number): VerifyResult {
  return verifyHmacHeader(secret, rawBody, headers['x-hub-signature'], 'sha256=', 'X-Hub-Signature');
}
