/**
 * Linear webhooks → TrackerEvents. Items are keyed by their identifier
 * (`WEB-44`). Linear's epic is the Project (`project:<id>`), owned by its lead.
 * An update changes status only when `updatedFrom` holds `stateId`; Linear
 * sends the previous state's id, not its name, so `from` is null and the
 * processor takes the item's last stored status: the true previous state once
 * `flow-nudge backfill linear` has stored the issue's history (IssueHistory
 * fromState/toState, linear/backfill.ts), and every webhook after it. Labels likewise: an
 * update with `updatedFrom.labelIds` names the labels the issue has now (`data.labels`) and only
 * the ids of those it had, so the processor clears the stored labels missing now (`labelsNow`).
 */
import { labelFlag } from '../../core/blocked-spans.ts';
import { mapItemType } from '../map-item-type.ts';
import type { NormalizeOptions } from '../normalize-options.ts';
import { parseVendorTime } from '../parse-time.ts';
import type { TrackerEvent } from '../tracker-event.ts';
import type { LinearIssueWebhook, LinearWebhook } from './parse.ts';

const CLOSED_STATE_TYPES = new Set(['completed', 'canceled']);

export function linearProjectKey(projectId: string): string {
  return `project:${projectId}`;
}

export function linearIssueKey(data: LinearIssueWebhook['data']): string {
  return data.identifier ?? (data.team ? `${data.team.key}-${data.number}` : data.id);
}

export function normalize(payload: LinearWebhook, options: NormalizeOptions = {}): TrackerEvent[] {
  if (payload.type === 'Project') {
    const d = payload.data;
    const at = parseVendorTime(d.createdAt);
    if (at === null) return [];
    const leadId = d.lead?.id ?? d.leadId ?? undefined;
    const owner = leadId || d.lead?.name || d.lead?.email
      ? { ...(leadId ? { id: leadId } : {}), ...(d.lead?.name ? { name: d.lead.name } : {}), ...(d.lead?.email ? { email: d.lead.email } : {}) }
      : undefined;
    return [{
      kind: 'item-created', source: 'linear', key: linearProjectKey(d.id), title: d.name, type: 'feature',
      isEpic: true, parentKey: null, at, status: d.state ?? null, ...(owner ? { owner } : {}),
    }];
  }
  const d = payload.data;
  const item = {
    source: 'linear' as const,
    key: linearIssueKey(d),
    title: d.title,
    type: mapItemType((d.labels ?? []).map((l) => l.name), options.typeMap),
    isEpic: false,
    parentKey: d.projectId ? linearProjectKey(d.projectId) : null,
  };
  const labels = (d.labels ?? []).map((l) => l.name);
  if (payload.action === 'create') {
    const at = parseVendorTime(d.createdAt);
    if (at === null) return [];
    return [
      { kind: 'item-created', ...item, at, status: d.state.name },
      ...(labels.length > 0 ? [{ kind: 'flags-changed' as const, ...item, createdAt: at, at, changes: labels.map((name) => ({ flag: labelFlag(name), on: true })) }] : []),
    ];
  }
  const stateChanged = payload.updatedFrom !== undefined && Object.hasOwn(payload.updatedFrom, 'stateId');
  const labelsChanged = payload.updatedFrom !== undefined && Object.hasOwn(payload.updatedFrom, 'labelIds') && d.labels !== undefined;
  if (!stateChanged && !labelsChanged) return [];
  const at = parseVendorTime(d.updatedAt);
  if (at === null) return [];
  const createdAt = parseVendorTime(d.createdAt);
  const created = createdAt !== null ? { createdAt } : {};
  const events: TrackerEvent[] = [];
  if (stateChanged) {
    events.push({ kind: 'status-changed', ...item, ...created, from: null, to: d.state.name, at });
    if (d.state.type && CLOSED_STATE_TYPES.has(d.state.type)) {
      events.push({ kind: 'item-closed', source: 'linear', key: item.key, at, isEpic: false });
    }
  }
  if (labelsChanged) events.push({ kind: 'flags-changed', ...item, ...created, at, changes: [], labelsNow: labels });
  return events;
}
