/**
 * Stores normalized tracker events of one value stream: upserts the work item,
 * adds the transition (exact duplicates are skipped by the store), the flags and labels set
 * or cleared, marks epics' owners and closings. Runs inside the caller's transaction.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { TrackerTables } from '../store/migrations/0002_backfill-cursor.ts';
import { labelFlag, labelOfFlag } from '../core/blocked-spans.ts';
import { addFlagEvents, addTransitions, getWorkItem, upsertWorkItem, type StoredWorkItem, type WorkItemFields } from '../store/work-items.ts';
import type { ItemOwner, TrackerEvent } from './tracker-event.ts';

type Db = Kysely<Database>;

export interface AppliedEvents {
  /** keys of items whose transitions or facts changed */
  keys: string[];
  /** every status named by the events (to check against the map) */
  statuses: string[];
  transitionsAdded: number;
}

/** upsertWorkItem, skipped (two queries saved) when the stored item already has these facts. */
async function upsertIfChanged(db: Db, streamId: number, existing: StoredWorkItem | null, fields: WorkItemFields, now: number): Promise<boolean> {
  if (existing) {
    const same =
      existing.type === fields.type &&
      existing.title === fields.title &&
      existing.createdAt === fields.createdAt &&
      (fields.parentKey === undefined || existing.parentKey === fields.parentKey) &&
      (fields.isEpic === undefined || existing.isEpic === fields.isEpic) &&
      (fields.outcomeOwner === undefined || existing.outcomeOwner === fields.outcomeOwner) &&
      (fields.closedAt === undefined || existing.closedAt === fields.closedAt);
    if (same) return false;
  }
  return (await upsertWorkItem(db, streamId, fields, now)).changed;
}

function ownerRef(owner: ItemOwner | undefined): string | undefined {
  return owner?.email ?? owner?.id ?? owner?.name;
}

/** GitHub Projects v2 names an item by its node id: use the owner/repo#n key once an issue event has taught it. */
async function resolveKey(db: Db, streamId: number, event: TrackerEvent): Promise<string> {
  if (!('nodeId' in event) || !event.nodeId) return event.key;
  const aliases = db as unknown as Kysely<TrackerTables>;
  if (event.key === event.nodeId) {
    const row = await aliases
      .selectFrom('tracker_key_alias')
      .select('key')
      .where('stream_id', '=', streamId)
      .where('source', '=', event.source)
      .where('alias', '=', event.nodeId)
      .executeTakeFirst();
    return row?.key ?? event.key;
  }
  await aliases
    .insertInto('tracker_key_alias')
    .values({ stream_id: streamId, source: event.source, alias: event.nodeId, key: event.key })
    .onConflict((oc) => oc.columns(['stream_id', 'source', 'alias']).doNothing())
    .execute();
  return event.key;
}

export async function applyTrackerEvents(db: Db, streamId: number, events: readonly TrackerEvent[], now: number): Promise<AppliedEvents> {
  const keys = new Set<string>();
  const statuses = new Set<string>();
  let transitionsAdded = 0;
  for (const event of events) {
    if (event.kind === 'status-lookup') continue; // unresolved (no token): nothing to store
    const key = await resolveKey(db, streamId, event);
    const existing = await getWorkItem(db, streamId, key);
    if (event.kind === 'item-created') {
      // Creation is older than anything else known of the item: its facts fill gaps, never overwrite newer ones.
      const owner = event.isEpic && !existing?.outcomeOwner ? ownerRef(event.owner) : undefined;
      const placeholder = !existing || existing.title === key;
      const changed = await upsertIfChanged(db, streamId, existing, {
        key, source: event.source,
        type: placeholder ? event.type : existing.type,
        title: placeholder ? event.title : existing.title,
        createdAt: event.at,
        ...(placeholder && { parentKey: event.parentKey, isEpic: event.isEpic }),
        ...(owner !== undefined && { outcomeOwner: owner }),
      }, now);
      if (changed) keys.add(key);
      if (event.status !== null) {
        statuses.add(event.status);
        const added = await addTransitions(db, streamId, key, [{ from: null, to: event.status, at: event.at }], { source: event.source, now });
        transitionsAdded += added;
        if (added > 0) keys.add(key);
      }
    } else if (event.kind === 'status-changed') {
      await upsertFromChange(db, streamId, key, event, existing, now);
      statuses.add(event.to);
      // A vendor that sends no previous status (Linear) is idempotent on the event itself: the item,
      // the new status and the event time. A redelivery (under a new delivery id) after other
      // events arrived would otherwise derive another `from` and add a second row for one change.
      if (event.from === null && existing?.transitions.some((t) => t.to === event.to && t.at === event.at)) continue;
      const from = event.from ?? lastStatusBefore(existing, event.at);
      if (from !== null) statuses.add(from);
      const added = await addTransitions(db, streamId, key, [{ from, to: event.to, at: event.at }], { source: event.source, now });
      transitionsAdded += added;
      if (added > 0) keys.add(key);
    } else if (event.kind === 'flags-changed') {
      if (!existing) {
        // a flag on an item not seen yet (deliveries come in any order): store it with what the event knows
        await upsertWorkItem(db, streamId, {
          key, source: event.source, type: event.type ?? 'feature', title: event.title ?? key, createdAt: event.createdAt ?? event.at,
          ...(event.parentKey !== undefined && { parentKey: event.parentKey }),
          ...(event.isEpic !== undefined && { isEpic: event.isEpic }),
        }, now);
        keys.add(key);
      }
      const changes = event.labelsNow ? labelChanges(existing, event.labelsNow, event.at) : event.changes;
      const added = await addFlagEvents(db, streamId, key, changes.map((c) => ({ flag: c.flag, on: c.on, at: event.at })), { source: event.source, now });
      if (added > 0) keys.add(key);
    } else {
      if (!existing) continue; // closing an item never seen: its status change carries what matters
      if (existing.closedAt === event.at) continue;
      await upsertIfChanged(db, streamId, existing, {
        key, source: existing.source, type: existing.type, title: existing.title, createdAt: existing.createdAt, closedAt: event.at,
      }, now);
      keys.add(key);
    }
  }
  return { keys: [...keys], statuses: [...statuses], transitionsAdded };
}

async function upsertFromChange(
  db: Db,
  streamId: number,
  key: string,
  event: Extract<TrackerEvent, { kind: 'status-changed' }>,
  existing: StoredWorkItem | null,
  now: number,
): Promise<void> {
  const isEpic = event.isEpic ?? existing?.isEpic ?? false;
  const owner = isEpic && !existing?.outcomeOwner ? ownerRef(event.owner) : undefined;
  // Only the newest event's facts (title, type, parent) stand, whatever the arrival order.
  const newest = existing ? Math.max(existing.createdAt, ...existing.transitions.map((t) => t.at)) : -Infinity;
  const fresh = !existing || event.at >= newest || existing.title === key;
  await upsertIfChanged(db, streamId, existing, {
    key,
    source: event.source,
    type: (fresh ? event.type : undefined) ?? existing?.type ?? 'feature',
    title: (fresh ? event.title : undefined) ?? existing?.title ?? key,
    createdAt: event.createdAt ?? existing?.createdAt ?? event.at,
    ...(fresh && event.parentKey !== undefined && { parentKey: event.parentKey }),
    ...(fresh && event.isEpic !== undefined && { isEpic: event.isEpic }),
    ...(owner !== undefined && { outcomeOwner: owner }),
  }, now);
}

/**
 * The labels set and cleared at `at` when the vendor names only the labels the item has now
 * (Linear): those not set just before `at` are set, those set before and missing now are cleared.
 */
function labelChanges(item: StoredWorkItem | null, labelsNow: readonly string[], at: number): { flag: string; on: boolean }[] {
  const before = new Map<string, boolean>();
  const earlier = (item?.flags ?? []).filter((f) => f.at < at && labelOfFlag(f.flag) !== null);
  earlier.sort((a, b) => a.at - b.at || (a.on === b.on ? 0 : a.on ? -1 : 1));
  for (const f of earlier) before.set(f.flag, f.on);
  const now = new Set(labelsNow.map(labelFlag));
  const changes: { flag: string; on: boolean }[] = [];
  for (const flag of now) if (before.get(flag) !== true) changes.push({ flag, on: true });
  for (const [flag, on] of before) if (on && !now.has(flag)) changes.push({ flag, on: false });
  return changes;
}

/** The status the item was in just before `at` (Linear sends no previous state name). */
function lastStatusBefore(item: StoredWorkItem | null, at: number): string | null {
  if (!item) return null;
  let best: { to: string; at: number } | null = null;
  for (const t of item.transitions) if (t.at < at && (!best || t.at >= best.at)) best = t;
  return best?.to ?? null;
}
