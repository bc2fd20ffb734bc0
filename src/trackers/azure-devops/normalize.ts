/**
 * Azure DevOps work item events → TrackerEvents. Items are keyed by their
 * numeric id (unique within an organization); the status is `System.State`.
 */
import { mapItemType } from '../map-item-type.ts';
import type { NormalizeOptions } from '../normalize-options.ts';
import { parseVendorTime } from '../parse-time.ts';
import type { ItemOwner, TrackerEvent } from '../tracker-event.ts';
import type { AzureWebhook } from './parse.ts';

const CLOSED_STATES = new Set(['closed', 'done', 'removed', 'completed']);

/** Closed, Done, Removed, Completed (any case): the item has left the process. */
export function isAzureClosedState(state: string): boolean {
  return CLOSED_STATES.has(state.toLowerCase());
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** `Name <email>` or an identity object → owner. */
export function azureIdentity(value: unknown): ItemOwner | undefined {
  if (typeof value === 'string' && value.trim()) {
    const m = /^(.*?)\s*<([^>]+)>\s*$/.exec(value);
    if (!m) return value.includes('@') ? { email: value.trim() } : { name: value.trim() };
    return { ...(m[1] && m[1] !== m[2] ? { name: m[1] } : {}), email: m[2] };
  }
  if (value && typeof value === 'object') {
    const v = value as { displayName?: unknown; uniqueName?: unknown; id?: unknown };
    const owner: ItemOwner = {};
    if (str(v.displayName)) owner.name = v.displayName as string;
    if (str(v.uniqueName)?.includes('@')) owner.email = v.uniqueName as string;
    if (str(v.id)) owner.id = v.id as string;
    return Object.keys(owner).length ? owner : undefined;
  }
  return undefined;
}

/** Key, title, type, epic, parent and owner of a work item from its current fields (webhook revision or REST). */
export function azureItemFacts(id: number, fields: Record<string, unknown>, options: NormalizeOptions) {
  const workItemType = str(fields['System.WorkItemType']) ?? '';
  const parent = fields['System.Parent'];
  const owner = azureIdentity(fields['System.AssignedTo']) ?? azureIdentity(fields['System.CreatedBy']);
  return {
    source: 'azure-devops' as const,
    key: String(id),
    title: str(fields['System.Title']) ?? '',
    type: mapItemType(workItemType ? [workItemType] : [], options.typeMap),
    isEpic: workItemType.toLowerCase() === 'epic',
    parentKey: typeof parent === 'number' || (typeof parent === 'string' && /^\d+$/.test(parent)) ? String(parent) : null,
    ...(owner ? { owner } : {}),
  };
}

export function normalize(payload: AzureWebhook, options: NormalizeOptions = {}): TrackerEvent[] {
  if (payload.eventType === 'workitem.created') {
    const fields = payload.resource.fields;
    const at = parseVendorTime(fields['System.CreatedDate']);
    if (at === null) return [];
    return [{ kind: 'item-created', ...azureItemFacts(payload.resource.id, fields, options), at, status: str(fields['System.State']) ?? null }];
  }
  const changes = payload.resource.fields ?? {};
  const state = changes['System.State'];
  const to = str(state?.newValue);
  if (!state || !to) return [];
  const current = payload.resource.revision?.fields ?? {};
  const at =
    parseVendorTime(changes['Microsoft.VSTS.Common.StateChangeDate']?.newValue) ??
    parseVendorTime(changes['System.ChangedDate']?.newValue) ??
    parseVendorTime(current['System.ChangedDate']);
  if (at === null) return [];
  const item = azureItemFacts(payload.resource.workItemId, current, options);
  const createdAt = parseVendorTime(current['System.CreatedDate']);
  const events: TrackerEvent[] = [{
    kind: 'status-changed', ...item, ...(createdAt !== null ? { createdAt } : {}),
    from: str(state.oldValue) ?? null, to, at,
  }];
  if (payload.resource.revision === undefined) {
    // "Resource details to send: minimal": no current fields; do not overwrite title/type with blanks.
    const e = events[0] as Extract<TrackerEvent, { kind: 'status-changed' }>;
    delete e.title; delete e.type; delete e.isEpic; delete e.parentKey; delete e.owner;
  }
  if (isAzureClosedState(to)) events.push({ kind: 'item-closed', source: 'azure-devops', key: item.key, at, isEpic: item.isEpic });
  return events;
}
