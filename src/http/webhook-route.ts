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
import type { NewDelivery } from '../store/webhook-deliveries.ts';
import { TRACKER_ADAPTERS, type TrackerAdapter } from '../trackers/adapters.ts';
import { getDeliveryId } from '../trackers/delivery-id.ts';
import { findUnstorableEvent } from '../trackers/check-events.ts';
import { headersToStore } from '../trackers/stored-headers.ts';
import { describeScope, sourceMatches, type SourceSelector } from '../trackers/match-sources.ts';
import type { TrackerEvent, Vendor } from '../trackers/tracker-event.ts';
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

/** The configured sources of one vendor, grouped once by secret (each secret is checked once per delivery). */
interface SourcesBySecret {
  vendor: Vendor;
  adapter: TrackerAdapter;
  /** the sources whose secret is set, in configured order */
  withSecret: WebhookSource[];
  bySecret: { secret: string; sources: WebhookSource[] }[];
  /** what a 401 names when no source has its secret set */
  secretEnvs: string;
}

/** What admit decided: store this delivery, or answer now without storing anything. */
type Admission = { kind: 'store'; delivery: NewDelivery } | { kind: 'answer'; response: HttpResponse };

export function createWebhookRoute(options: WebhookRouteOptions): RouteHandler {
  const vendor = options.vendor;
  const bySecret = new Map<string, WebhookSource[]>();
  for (const source of options.sources) {
    if (source.secret !== '') bySecret.set(source.secret, [...(bySecret.get(source.secret) ?? []), source]);
  }
  const config: SourcesBySecret = {
    vendor,
    adapter: TRACKER_ADAPTERS[vendor],
    withSecret: options.sources.filter((s) => s.secret !== ''),
    bySecret: [...bySecret].map(([secret, sources]) => ({ secret, sources })),
    secretEnvs: [...new Set(options.sources.map((s) => s.secretEnv))].join(' or '),
  };
  return async (request: HttpRequest): Promise<HttpResponse> => {
    if (options.sources.length === 0) {
      throw new HttpError(404, `no stream in flow-nudge.yaml has a ${vendor} source; add one under streams[].sources with vendor: ${vendor}`);
    }
    const admitted = admit(config, request, options.now());
    if (admitted.kind === 'answer') return admitted.response;
    const stored = await options.inbox.write(admitted.delivery);
    if (stored.duplicate) return { status: 200, body: { duplicate: admitted.delivery.deliveryId } };
    options.onStored();
    return { status: 202, body: { accepted: admitted.delivery.deliveryId } };
  };
}

/**
 * Every check a delivery gets before it is stored, in one synchronous pass over the request:
 * the signature on the raw bytes, UTF-8, one JSON.parse, the vendor's parse, the sources it
 * belongs to, and whether processing could apply it. Keeps only what the inbox stores
 * (the parsed body and its events are dropped here). Throws HttpError for a refusal.
 */
function admit(config: SourcesBySecret, request: HttpRequest, now: number): Admission {
  const { vendor, adapter } = config;
  if (config.bySecret.length === 0) throw new HttpError(401, `no secret is configured for ${vendor}: set ${config.secretEnvs}`);

  // 1. Verify the raw bytes with each distinct secret; JSON is read only after one matches.
  let verified: WebhookSource[] | undefined;
  /** set only when a second secret verifies too (Basic auth `user:pw` and `pw`) */
  let secretsVerified: string[] | undefined;
  let reason = '';
  let body: unknown;
  let parsedByVerify = false;
  const verifyRequest = { method: request.method, url: request.url };
  for (const { secret, sources } of config.bySecret) {
    const result = adapter.verify(secret, request.rawBody, request.headers, now, verifyRequest);
    if (!result.ok) {
      reason ||= result.reason;
      continue;
    }
    if (!verified) verified = sources;
    else secretsVerified = [...(secretsVerified ?? [verified[0].secret]), secret];
    if (result.body !== undefined && !parsedByVerify) {
      body = result.body;
      parsedByVerify = true;
    }
  }
  if (!verified) throw new HttpError(401, `${vendor} delivery rejected: ${reason}`);
  // more than one secret verified it: every source of those, in configured order
  if (secretsVerified) verified = config.withSecret.filter((s) => secretsVerified.includes(s.secret));

  // 2. Read the bytes as text (the inbox stores text), then parse (once: a verifier that read the JSON hands it over).
  let rawBody: string;
  try {
    rawBody = UTF8.decode(request.rawBody);
  } catch {
    throw new HttpError(400, 'body is not valid UTF-8 (its signature matches, but the bytes are not text); send the webhook as application/json in UTF-8');
  }
  if (!parsedByVerify) {
    try {
      body = JSON.parse(rawBody);
    } catch {
      throw new HttpError(400, 'body is not JSON; set the webhook content type to application/json');
    }
  }
  const parsed = adapter.parse(body, request.headers);
  if (parsed.kind === 'invalid') throw new HttpError(400, parsed.reason);
  if (parsed.kind === 'ignored') return { kind: 'answer', response: { status: 200, body: { ignored: parsed.reason } } };
  const matched = verified.filter((s) => sourceMatches(s, parsed.scope));
  if (matched.length === 0) {
    throw new HttpError(
      404,
      `no ${vendor} source in flow-nudge.yaml takes deliveries for ${describeScope(parsed.scope)} with this secret; add it to a stream's sources`,
    );
  }

  // A known event that changes no status (a comment, a title edit): answer now, store nothing.
  // Sources with the same type map get the same events: each distinct map is normalized once.
  const byTypeMap = new Map<TypeMap | undefined, TrackerEvent[]>();
  for (const source of matched) {
    if (!byTypeMap.has(source.typeMap)) byTypeMap.set(source.typeMap, adapter.normalize(parsed.payload, source.typeMap ? { typeMap: source.typeMap } : {}));
  }
  const normalized = [...byTypeMap.values()];
  if (!normalized.some((list) => list.length > 0)) {
    return { kind: 'answer', response: { status: 200, body: { ignored: 'no status change or new item in this delivery' } } };
  }

  // Everything processing needs is checked now: a delivery it could never apply is refused, not stored.
  for (const list of normalized) {
    const unstorable = findUnstorableEvent(list);
    if (unstorable) throw new HttpError(400, `${vendor} delivery refused: ${unstorable}`);
  }

  // 3. What the inbox stores: the raw text and the headers processing reads.
  const { id: deliveryId } = getDeliveryId(vendor, request.headers, rawBody, body);
  const headers = headersToStore(vendor, request.headers);
  // Which secrets verified it: processing applies it only to the streams of those sources.
  headers[VERIFIED_BY_HEADER] = matched.length === 1 ? matched[0].secretEnv : [...new Set(matched.map((s) => s.secretEnv))].join(',');
  return { kind: 'store', delivery: { source: vendor, deliveryId, receivedAt: now, headers, rawBody } };
}
