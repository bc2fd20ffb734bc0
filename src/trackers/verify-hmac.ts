/**
 * The one HMAC and constant-time comparison every verifier uses, so the check
 * is written once. A signature is compared as the digest it encodes (32 bytes,
 * a length everyone knows); a secret sent verbatim (a token, a password) is
 * hashed to a fixed length first, so the comparison does not tell its length.
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
 * Compares a received signature with the expected one in constant time, for values whose
 * length is no secret (digests and their encodings): a different length is unequal at once.
 */
export function safeEqualSignature(given: Buffer, expected: Buffer): boolean {
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** SHA-256 digests are 32 bytes: 64 hex digits. */
const HEX_DIGEST_LENGTH = 64;

/**
 * Checks `header` against `prefix + hex HMAC-SHA256(secret, rawBody)` (prefix and hex in any
 * case, surrounding spaces ignored) by comparing the digest the hex decodes to.
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
  const given = header.trim();
  // Buffer.from(hex) stops at the first character that is not hex: 32 bytes only from 64 hex digits.
  const ok =
    given.length === prefix.length + HEX_DIGEST_LENGTH &&
    given.slice(0, prefix.length).toLowerCase() === prefix &&
    safeEqualSignature(Buffer.from(given.slice(prefix.length), 'hex'), createHmac('sha256', secret).update(rawBody).digest());
  if (!ok) return { ok: false, reason: `${headerName} does not match the body signed with the configured secret` };
  return { ok: true };
}
