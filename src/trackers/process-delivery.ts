/**
 * Turns one stored delivery into work items and transitions, in one
 * transaction with its state change: a crash mid-way leaves it pending, and
 * a delivery is never applied twice. Used by the processor loop, and by any
 * replay of the inbox, with the same adapters as the HTTP route.
 */
import type { Transaction } from 'kysely';
import type { Database, Store } from '../store/database.ts';
import { claimDeliveries, markDeliveriesDone, markDelivery, type StoredDelivery } from '../store/webhook-deliveries.ts';
import type { StreamMap } from '../core/types.ts';
import { findUnknownStatuses, type UnmappedStatus } from '../workflow/unknown-statuses.ts';
import { TRACKER_ADAPTERS } from './adapters.ts';
import { applyTrackerEvents } from './apply-events.ts';
import { sourceMatches, type SourceSelector } from './match-sources.ts';
import type { TypeMap } from './map-item-type.ts';
import { VENDORS, type TrackerEvent, type Vendor } from './tracker-event.ts';
import { findUnstorableEvent } from './check-events.ts';
import { normalizeStatus } from '../workflow/status-index.ts';

/** Header the webhook route adds to a stored delivery: the secretEnv names that verified it. */
export const VERIFIED_BY_HEADER = 'x-flow-nudge-verified-by';

export type IngestSource = SourceSelector & {
  typeMap?: TypeMap;
  secretEnv?: string;
  /** the API token (the value of tokenEnv), for lookups a delivery needs */
  token?: string;
  apiUrl?: string;
};

/**
 * Replaces status-lookup events by what the tracker says (one API call each),
 * or drops them; throws to have the delivery retried later (rate limited, unreachable).
 */
export type ResolveLookups = (events: TrackerEvent[], source: IngestSource) => Promise<TrackerEvent[]>;

export interface ProcessOptions {
  resolveLookups?: ResolveLookups;
  /**
   * A delivery that needs a lookup is left pending, untouched, with the outcome `deferred`
   * (a batch never waits for a tracker); the processor resolves it on its own
   * (resolveDeliveryLookups) and processes it again with `resolved`.
   */
  deferLookups?: boolean;
  /** the events of a delivery's status lookups, already resolved, by stream name */
  resolved?: ReadonlyMap<string, TrackerEvent[]>;
}

/** The part of the config the processor needs: each stream's id, map and sources. */
export interface IngestStream {
  name: string;
  id: number;
  map: StreamMap;
  /** the map's file (or config key), named in the fix for unknown statuses */
  mapOrigin: string;
  sources: IngestSource[];
}

export type { UnmappedStatus };

/** The first event naming each status: which item, and the status it moved from. */
function whereSeen(events: readonly TrackerEvent[], status: string): UnmappedStatus['seenIn'] {
  const same = (other: string | null) => other !== null && normalizeStatus(other) === normalizeStatus(status);
  for (const event of events) {
    if (event.kind === 'status-changed' && same(event.to)) return { key: event.key, from: event.from };
    if (event.kind === 'status-changed' && same(event.from)) return { key: event.key, from: null };
    if (event.kind === 'item-created' && same(event.status)) return { key: event.key, from: null };
  }
  return undefined;
}

export interface DeliveryOutcome {
  /**
   * failed: its content can never be applied (marked failed for good, with the reason);
   * deferred: it needs a lookup at the tracker and was left pending (ProcessOptions.deferLookups)
   */
  state: 'done' | 'ignored' | 'failed' | 'deferred';
  reason?: string;
  /** per stream: keys of items that changed */
  touched: { stream: string; keys: string[] }[];
  /** per stream: statuses the map does not name, with the fix and the first item seen in it */
  unknownStatuses: { stream: string; statuses: UnmappedStatus[] }[];
}

/** Processes delivery `id`; null when it is not pending any more (done, or claimed by another replica). */
export async function processDelivery(store: Store, streams: readonly IngestStream[], id: number, now: number, options: ProcessOptions = {}): Promise<DeliveryOutcome | null> {
  return (await processDeliveryBatch(store, streams, [id], now, options))[0];
}

/**
 * Processes several deliveries in one transaction (one commit: much faster).
 * If any of them throws, nothing of the batch is kept and the error is
 * rethrown; the caller then processes them one by one. The result has one
 * entry per id, null for an id that was not pending any more.
 */
export async function processDeliveryBatch(
  store: Store,
  streams: readonly IngestStream[],
  ids: readonly number[],
  now: number,
  options: ProcessOptions = {},
): Promise<(DeliveryOutcome | null)[]> {
  return store.db.transaction().execute(async (trx) => {
    const claimed = await claimDeliveries(trx, ids);
    const outcomes = new Map<number, DeliveryOutcome>();
    const done: number[] = [];
    for (const delivery of claimed) {
      const outcome = await processClaimed(trx, streams, delivery, now, options);
      outcomes.set(delivery.id, outcome);
      if (outcome.state === 'done') done.push(delivery.id);
    }
    await markDeliveriesDone(trx, done, now);
    return ids.map((id) => outcomes.get(id) ?? null);
  });
}

/**
 * Asks the tracker what delivery `id` leaves out (its status lookups), outside any
 * transaction, so that no lock or connection is held while the tracker answers. The
 * result, by stream name, goes to processDelivery as `resolved`; null when the delivery
 * is not pending any more (or another replica holds it).
 */
export async function resolveDeliveryLookups(
  store: Store,
  streams: readonly IngestStream[],
  id: number,
  resolveLookups: ResolveLookups,
): Promise<Map<string, TrackerEvent[]> | null> {
  const [delivery] = await store.db.transaction().execute((trx) => claimDeliveries(trx, [id]));
  if (!delivery || !VENDORS.includes(delivery.source as Vendor)) return null;
  const adapter = TRACKER_ADAPTERS[delivery.source as Vendor];
  let body: unknown;
  try {
    body = JSON.parse(delivery.rawBody);
  } catch {
    return new Map();
  }
  const parsed = adapter.parse(body, delivery.headers);
  const resolved = new Map<string, TrackerEvent[]>();
  if (parsed.kind !== 'ok') return resolved;
  const verifiedBy = delivery.headers[VERIFIED_BY_HEADER]?.split(',');
  for (const stream of streams) {
    const source = takingSource(stream, delivery, parsed.scope, verifiedBy);
    if (!source) continue;
    const normalized = adapter.normalize(parsed.payload, source.typeMap ? { typeMap: source.typeMap } : {});
    if (normalized.some((e) => e.kind === 'status-lookup')) resolved.set(stream.name, await resolveLookups(normalized, source));
  }
  return resolved;
}

/** The source of `stream` that takes the delivery (vendor, scope, and a secret that verified it), if any. */
function takingSource(stream: IngestStream, delivery: StoredDelivery, scope: Parameters<typeof sourceMatches>[1], verifiedBy: string[] | undefined): IngestSource | undefined {
  return stream.sources.find(
    (s) =>
      s.vendor === delivery.source &&
      sourceMatches(s, scope) &&
      (verifiedBy === undefined || s.secretEnv === undefined || verifiedBy.includes(s.secretEnv)),
  );
}

/** Applies one claimed delivery; marks it ignored or failed for good (with the reason) itself, leaves `done` to the caller. */
async function processClaimed(trx: Transaction<Database>, streams: readonly IngestStream[], delivery: StoredDelivery, now: number, options: ProcessOptions): Promise<DeliveryOutcome> {
  const id = delivery.id;
  const ignore = async (reason: string): Promise<DeliveryOutcome> => {
    await markDelivery(trx, id, { state: 'ignored', error: reason, at: now });
    return { state: 'ignored', reason, touched: [], unknownStatuses: [] };
  };
  const fail = async (reason: string): Promise<DeliveryOutcome> => {
    await markDelivery(trx, id, { state: 'failed', error: reason, at: now, retryAt: null });
    return { state: 'failed', reason, touched: [], unknownStatuses: [] };
  };
  if (!VENDORS.includes(delivery.source as Vendor)) return ignore(`unknown source ${delivery.source}`);
  const adapter = TRACKER_ADAPTERS[delivery.source as Vendor];
  let body: unknown;
  try {
    body = JSON.parse(delivery.rawBody);
  } catch {
    return ignore('body is not JSON');
  }
  const parsed = adapter.parse(body, delivery.headers);
  if (parsed.kind !== 'ok') return ignore(parsed.reason);

  // The route records which sources' secrets verified the delivery; only their streams take it.
  const verifiedBy = delivery.headers[VERIFIED_BY_HEADER]?.split(',');
  const outcome: DeliveryOutcome = { state: 'done', touched: [], unknownStatuses: [] };
  let events = 0;
  const applicable: { stream: IngestStream; events: TrackerEvent[] }[] = [];
  for (const stream of streams) {
    const source = takingSource(stream, delivery, parsed.scope, verifiedBy);
    if (!source) continue;
    let normalized = adapter.normalize(parsed.payload, source.typeMap ? { typeMap: source.typeMap } : {});
    if (normalized.some((e) => e.kind === 'status-lookup')) {
      const resolved = options.resolved?.get(stream.name);
      if (resolved) normalized = resolved;
      else if (options.resolveLookups && options.deferLookups) return { state: 'deferred', touched: [], unknownStatuses: [] };
      else normalized = options.resolveLookups ? await options.resolveLookups(normalized, source) : normalized.filter((e) => e.kind !== 'status-lookup');
    }
    events += normalized.length;
    if (normalized.length === 0) continue;
    // The route checks this before acknowledging; a delivery stored by an older version may still fail it.
    const unstorable = findUnstorableEvent(normalized);
    if (unstorable) return fail(unstorable);
    applicable.push({ stream, events: normalized });
  }
  for (const { stream, events: normalized } of applicable) {
    const applied = await applyTrackerEvents(trx, stream.id, normalized, now);
    if (applied.keys.length > 0) outcome.touched.push({ stream: stream.name, keys: applied.keys });
    const unknown = findUnknownStatuses(stream.map, applied.statuses, stream.mapOrigin);
    if (unknown.length > 0) {
      outcome.unknownStatuses.push({
        stream: stream.name,
        statuses: unknown.map((entry) => {
          const seenIn = whereSeen(normalized, entry.status);
          return { ...entry, mapOrigin: stream.mapOrigin, ...(seenIn ? { seenIn } : {}) };
        }),
      });
    }
  }
  if (events === 0) return ignore('no status change or new item in this delivery (or no stream takes it any more)');
  return outcome;
}
