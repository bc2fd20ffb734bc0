/**
 * Linear: `Linear-Signature: <hex HMAC-SHA256(signing secret, raw body)>`, no
 * prefix. Replay guard: the body's `webhookTimestamp` (Unix ms) must be within
 * a minute of now, as Linear recommends. The signature is checked on the raw
 * bytes first; only then is the body parsed to read the timestamp (and handed back, so the
 * route does not parse it again).
 */
import { verifyHmacHeader } from '../verify-hmac.ts';
import type { Headers, RawBody, VerifyResult } from '../tracker-event.ts';

/** How far `webhookTimestamp` may be from now, either way. */
export const LINEAR_REPLAY_WINDOW_MS = 60_000;

export function verify(secret: string, rawBody: RawBody, headers: Headers, now: number): VerifyResult {
  const signed = verifyHmacHeader(secret, rawBody, headers['linear-signature'], '', 'Linear-Signature');
  if (!signed.ok) return signed;
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString());
  } catch {
    return { ok: false, reason: 'body is not JSON, so webhookTimestamp cannot be checked' };
  }
  const timestamp = (body as { webhookTimestamp?: unknown } | null)?.webhookTimestamp;
  if (typeof timestamp !== 'number' || !Number.isFinite(timestamp)) {
    return { ok: false, reason: 'webhookTimestamp is missing: Linear puts the send time (Unix ms) in every body' };
  }
  if (Math.abs(now - timestamp) > LINEAR_REPLAY_WINDOW_MS) {
    return {
      ok: false,
      reason: `webhookTimestamp is ${Math.round((now - timestamp) / 1000)} s from now (more than ${LINEAR_REPLAY_WINDOW_MS / 1000} s): a replayed delivery, or this server's clock is wrong`,
    };
  }
  return { ok: true, body };
}
