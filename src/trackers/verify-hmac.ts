/**
 * The one HMAC and constant-time comparison every verifier uses, so the check
 * is written once. Both sides are hashed to a fixed length first, so the
 * comparison takes the same time whatever the lengths.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Lower-case hex HMAC-SHA256 of the raw body. */
export function hmacSha256Hex(secret: string, rawBody: string | Buffer): string {
  return createHmac('sha256', secret).update(rawBody).digest('hex');
}

/** Compares two strings in constant time (independent of where they differ and of their lengths). */
export function safeEqual(a: string, b: string): boolean {
  const da = createHash('sha256').update(a, 'utf8').digest();
  const db = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(da, db) && a.length === b.length;
}

/**
 * Checks `header` against `prefix + hex HMAC-SHA256(secret, rawBody)`.
 * `headerName` is only used in the reason.
 */
export function verifyHmacHeader(
  secret: string,
  rawBody: string | Buffer,
  header: string | undefined,
  prefix: string,
  headerName: string,
): { ok: true } | { ok: false; reason: string } {
  if (!secret) return { ok: false, reason: 'no webhook secret is configured for this source' };
  if (header === undefined || header === '') return { ok: false, reason: `missing ${headerName} header` };
  const expected = prefix + hmacSha256Hex(secret, rawBody);
  if (!safeEqual(header.trim().toLowerCase(), expected)) {
    return { ok: false, reason: `${headerName} does not match the body signed with the configured secret` };
  }
  return { ok: true };
}
