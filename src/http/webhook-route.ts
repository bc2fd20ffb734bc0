/**
 * POST /webhooks/<vendor>: verify against the raw bytes with the secret of a
 * configured source, parse, and commit the raw delivery to the inbox before
 * answering 202. Processing happens afterwards (trackers/delivery-processor.ts).
 *
 * Answers: 202 stored · 200 duplicate (nothing changes) · 200 ignored (a kind
 * of event flow-nudge does not use, or one that changes no status; nothing is stored) · 400 malformed,
 * not UTF-8, or not storable (a NUL in a text, a time out of range, no key or status: nothing stored) ·
 * 401 bad or missing signature, or no secret configured · 404 no stream takes it.
 */
import type { InboxWriter } from './inbox-writer.ts';
import { TRACKER_ADAPTERS } from '../trackers/adapters.ts';
import { getDeliveryId } from '../trackers/delivery-id.ts';
import { findUnstorableEvent } from '../trackers/check-events.ts';
import { headersToStore } from '../trackers/stored-headers.ts';
import { describeScope, sourceMatches, type SourceSelector } from '../trackers/match-sources.ts';
import type { Vendor } from '../trackers/tracker-event.ts';
import type { TypeMap } from '../trackers/map-item-type.ts';
import { VERIFIED_BY_HEADER } from '../trackers/process-delivery.ts';
import { HttpError } from '../route/http-error.ts';
import type { HttpRequest, HttpResponse, RouteHandler } from '../route/route.ts';

export interface WebhookSource extends SourceSelector {
  typeMap?: TypeMap;
  /** the secret's value ('' when its variable is unset) */
  secret: string;
  secretEnv: string;
}

export interface WebhookRouteOptions {
  vendor: Vendor;
  /** every configured source of this vendor, across streams */
  sources: readonly WebhookSource[];
  now: () => number;
  /** commits deliveries to the inbox (grouped: one commit for the deliveries arriving together) */
  inbox: InboxWriter;
  /** a delivery was committed: wake the processor */
  onStored: () => void;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function createWebhookRoute(options: WebhookRouteOptions): RouteHandler {
  const adapter = TRACKER_ADAPTERS[options.vendor];
  const vendor = options.vendor;
  return async (request: HttpRequest): Promise<HttpResponse> => {
    if (options.sources.length === 0) {
      throw new HttpError(404, `no stream in flow-nudge.yaml has a ${vendor} source; add one under streams[].sources with vendor: ${vendor}`);
    }
    const withSecret = options.sources.filter((s) => s.secret !== '');
    if (withSecret.length === 0) {
      throw new HttpError(401, `no secret is configured for ${vendor}: set ${[...new Set(options.sources.map((s) => s.secretEnv))].join(' or ')}`);
    }
    const now = options.now();

    // 1. Verify the raw bytes with each distinct secret; JSON is read only after one matches.
    const verified: WebhookSource[] = [];
    let reason = '';
    const tried = new Map<string, boolean>();
    for (const source of withSecret) {
      let ok = tried.get(source.secret);
      if (ok === undefined) {
        const result = adapter.verify(source.secret, request.rawBody, request.headers, now, { method: request.method, url: request.url });
        ok = result.ok;
        if (!result.ok && !reason) reason = result.reason;
        tried.set(source.secret, ok);
      }
      if (ok) verified.push(source);
    }
    if (verified.length === 0) throw new HttpError(401, `${vendor} delivery rejected: ${reason}`);

    // 2. Read the bytes as text (the inbox stores text), then parse.
    let rawBody: string;
    try {
      rawBody = UTF8.decode(request.rawBody);
    } catch {
      throw new HttpError(400, 'body is not valid UTF-8 (its signature matches, but the bytes are not text); send the webhook as application/json in UTF-8');
    }
    let body: unknown;
    try {
      body = JSON.parse(rawBody);
    } catch {
      throw new HttpError(400, 'body is not JSON; set the webhook content type to application/json');
    }
    const parsed = adapter.parse(body, request.headers);
    if (parsed.kind === 'invalid') throw new HttpError(400, parsed.reason);
    if (parsed.kind === 'ignored') return { status: 200, body: { ignored: parsed.reason } };
    const matched = verified.filter((s) => sourceMatches(s, parsed.scope));
    if (matched.length === 0) {
      throw new HttpError(
        404,
        `no ${vendor} source in flow-nudge.yaml takes deliveries for ${describeScope(parsed.scope)} with this secret; add it to a stream's sources`,
      );
    }

    // A known event that changes no status (a comment, a title edit): answer now, store nothing.
    const normalized = matched.map((s) => adapter.normalize(parsed.payload, s.typeMap ? { typeMap: s.typeMap } : {}));
    const events = normalized.some((list) => list.length > 0);
    if (!events) return { status: 200, body: { ignored: 'no status change or new item in this delivery' } };

    // Everything processing needs is checked now: a delivery it could never apply is refused, not stored.
    const unstorable = normalized.map((list) => findUnstorableEvent(list)).find((reason) => reason !== null);
    if (unstorable) throw new HttpError(400, `${vendor} delivery refused: ${unstorable}`);

    // 3. Commit the raw delivery, then answer.
    const { id: deliveryId } = getDeliveryId(vendor, request.headers, rawBody);
    const headers = headersToStore(vendor, request.headers);
    // Which secrets verified it: processing applies it only to the streams of those sources.
    headers[VERIFIED_BY_HEADER] = [...new Set(matched.map((s) => s.secretEnv))].join(',');
    const stored = await options.inbox.write({ source: vendor, deliveryId, receivedAt: now, headers, rawBody });
    if (stored.duplicate) return { status: 200, body: { duplicate: deliveryId } };
    options.onStored();
    return { status: 202, body: { accepted: deliveryId } };
  };
}
