/**
 * Jira signs a delivery in one of three ways, by how the webhook was registered:
 * - admin webhooks saved with a secret: `X-Hub-Signature: sha256=<hex HMAC-SHA256(secret, raw body)>`;
 * - Connect apps: `Authorization: JWT <HS256 token>` with the installation's
 *   shared secret, its `qsh` bound to this request's method, path and query;
 * - OAuth 2.0 apps (dynamic webhooks): `Authorization: Bearer <HS256 token>`
 *   with the app's client secret.
 * The source's secret is whichever of the three its webhook was registered
 * with. The HMAC has no signing time (duplicates are caught by
 * X-Atlassian-Webhook-Identifier); the tokens expire (`exp`).
 */
import { verifyHmacHeader } from '../verify-hmac.ts';
import type { Headers, RawBody, VerifyResult, VerifyRequest } from '../tracker-event.ts';
import { verifyHs256Jwt } from './verify-jwt.ts';

export function verify(secret: string, rawBody: RawBody, headers: Headers, now: number, request?: VerifyRequest): VerifyResult {
  const authorization = headers.authorization?.trim();
  if (authorization && headers['x-hub-signature'] === undefined) {
    if (!secret) return { ok: false, reason: 'no webhook secret is configured for this source' };
    const m = /^(JWT|Bearer)\s+(\S+)$/i.exec(authorization);
    if (!m) return { ok: false, reason: 'Authorization is neither JWT (Connect app) nor Bearer (OAuth 2.0 app)' };
    if (m[1].toUpperCase() === 'JWT') {
      if (!request) return { ok: false, reason: 'Authorization: JWT needs the request method and path to check qsh' };
      return verifyHs256Jwt(secret, m[2], now, 'Authorization: JWT', { method: request.method, path: request.url.pathname, query: request.url.searchParams });
    }
    return verifyHs256Jwt(secret, m[2], now, 'Authorization: Bearer');
  }
  if (secret && !headers['x-hub-signature']) {
    return { ok: false, reason: 'missing X-Hub-Signature header (admin webhook with a secret) or Authorization header (Connect or OAuth 2.0 app)' };
  }
  return verifyHmacHeader(secret, rawBody, headers['x-hub-signature'], 'sha256=', 'X-Hub-Signature');
}
