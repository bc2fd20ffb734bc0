/**
 * Jira app webhooks carry an HS256 JSON Web Token instead of a body HMAC:
 * Connect apps `Authorization: JWT <token>` signed with the installation's
 * shared secret, with a `qsh` claim binding method, path and query; OAuth 2.0
 * (3LO) apps with dynamic webhooks `Authorization: Bearer <token>` signed with
 * the app's client secret. Only HS256 is accepted (never `none`, never a key
 * chosen by the token). Constant-time signature comparison, no I/O.
 */
import { createHash, createHmac } from 'node:crypto';
import { safeEqualSignature } from '../verify-hmac.ts';
import type { VerifyResult } from '../tracker-event.ts';

/** Seconds a token may be past `exp` (or before `nbf`) for clock differences between Jira and this server. */
export const JWT_CLOCK_LEEWAY_S = 30;

export interface JwtRequest {
  method: string;
  /** the request path as received (Jira signs it relative to the app's base URL) */
  path: string;
  query: URLSearchParams;
}

function base64UrlJson(part: string): Record<string, unknown> | null {
  if (!/^[A-Za-z0-9_-]*$/.test(part)) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** RFC 3986 percent-encoding, as Atlassian's canonical query string uses it (space → %20, `*'()!` encoded). */
function encodeRfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * The canonical request Connect hashes into `qsh`: `METHOD&/path&query`, the
 * path without a trailing slash and with `&` encoded, the query sorted by
 * name without `jwt`, repeated values sorted and joined by commas.
 * @example canonicalRequest({ method: 'post', path: '/webhooks/jira/', query: new URLSearchParams('b=2&a=x y') }) // 'POST&/webhooks/jira&a=x%20y&b=2'
 */
export function canonicalRequest(request: JwtRequest): string {
  let path = request.path.trim() || '/';
  if (!path.startsWith('/')) path = `/${path}`;
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  path = path.replaceAll('&', '%26');
  const values = new Map<string, string[]>();
  for (const [name, value] of request.query) {
    if (name === 'jwt') continue;
    const key = encodeRfc3986(name);
    values.set(key, [...(values.get(key) ?? []), encodeRfc3986(value)]);
  }
  const query = [...values.keys()].sort().map((key) => `${key}=${values.get(key)!.sort().join(',')}`).join('&');
  return `${request.method.toUpperCase()}&${path}&${query}`;
}

export function queryStringHash(request: JwtRequest): string {
  return createHash('sha256').update(canonicalRequest(request), 'utf8').digest('hex');
}

/**
 * Verifies an HS256 token with `secret` at `now` (ms): signature, `exp`
 * (required), `nbf`, and, when `request` is given, the Connect `qsh` claim.
 * `scheme` only names the header in the reasons.
 */
export function verifyHs256Jwt(secret: string, token: string, now: number, scheme: string, request?: JwtRequest): VerifyResult {
  const parts = token.trim().split('.');
  if (parts.length !== 3) return { ok: false, reason: `${scheme} token is not a JWT (header.claims.signature)` };
  const header = base64UrlJson(parts[0]);
  const claims = base64UrlJson(parts[1]);
  if (!header || !claims) return { ok: false, reason: `${scheme} token's header or claims are not base64url JSON` };
  if (header.alg !== 'HS256') return { ok: false, reason: `${scheme} token is signed with ${String(header.alg).slice(0, 20)}; Jira signs app webhooks with HS256` };
  // the encoded signature is compared as sent (a digest's base64url has one spelling; its length is no secret)
  const expected = createHmac('sha256', secret).update(`${parts[0]}.${parts[1]}`).digest('base64url');
  if (!safeEqualSignature(Buffer.from(parts[2]), Buffer.from(expected))) return { ok: false, reason: `${scheme} token is not signed with the configured secret` };
  const nowS = now / 1000;
  if (typeof claims.exp !== 'number') return { ok: false, reason: `${scheme} token has no exp claim` };
  if (claims.exp + JWT_CLOCK_LEEWAY_S < nowS) return { ok: false, reason: `${scheme} token expired ${Math.round(nowS - claims.exp)} s ago (a replayed delivery, or this server's clock is wrong)` };
  if (typeof claims.nbf === 'number' && claims.nbf - JWT_CLOCK_LEEWAY_S > nowS) return { ok: false, reason: `${scheme} token is not valid yet (nbf is in the future)` };
  if (request) {
    if (typeof claims.qsh !== 'string') return { ok: false, reason: `${scheme} token has no qsh claim` };
    if (!safeEqualSignature(Buffer.from(claims.qsh), Buffer.from(queryStringHash(request)))) {
      return { ok: false, reason: `${scheme} token's qsh does not match ${request.method.toUpperCase()} ${request.path}: it was signed for another request (or a proxy rewrote the path)` };
    }
  }
  return { ok: true };
}
