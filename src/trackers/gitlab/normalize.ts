/**
 * GitLab issue events → TrackerEvents. The status is the scoped board label
 * (`workflow::In dev` or `status::In dev`) while the issue is open, else the
 * state (`opened`, `closed`). Items are keyed `group/project#iid`.
 */
import { labelFlag } from '../../core/blocked-spans.ts';
import { mapItemType } from '../map-item-type.ts';
import type { NormalizeOptions } from '../normalize-options.ts';
import { parseVendorTime } from '../parse-time.ts';
import type { ItemOwner, TrackerEvent } from '../tracker-event.ts';
import type { GitlabIssueEvent } from './parse.ts';

const STATE_IDS: Record<number, string> = { 1: 'opened', 2: 'closed', 3: 'merged', 4: 'locked' };
const STATUS_SCOPES = ['workflow', 'status'];

/** The status of an issue with these labels in this state. */
export function gitlabStatus(labels: readonly { title: string }[], state: string): string {
  if (state === 'closed') return 'closed';
  for (const { title } of labels) {
    const i = title.lastIndexOf('::');
    if (i > 0 && STATUS_SCOPES.includes(title.slice(0, i).trim().toLowerCase())) return title.slice(i + 2).trim();
  }
  return state;
}

export function normalize(payload: GitlabIssueEvent, options: NormalizeOptions = {}): TrackerEvent[] {
  const a = payload.object_attributes;
  const labels = payload.labels ?? [];
  const names = [...(a.type ? [a.type] : []), ...labels.map((l) => l.title)];
  const isEpic = a.type?.toLowerCase() === 'epic';
  const person = payload.assignees?.[0] ?? payload.user ?? null;
  const owner: ItemOwner | undefined = person
    ? { ...(person.name ? { name: person.name } : {}), ...(person.username ? { id: person.username } : {}), ...(person.email ? { email: person.email } : {}) }
    : undefined;
  const item = {
    source: 'gitlab' as const,
    key: `${payload.project.path_with_namespace}#${a.iid}`,
    title: a.title,
    type: mapItemType(names, options.typeMap),
    isEpic,
    parentKey: null,
    ...(owner ? { owner } : {}),
  };
  const createdAt = parseVendorTime(a.created_at);
  const to = gitlabStatus(labels, a.state);

  const { owner: _, ...facts } = item;
  const created = createdAt !== null ? { createdAt } : {};
  if (a.action === 'open') {
    if (createdAt === null) return [];
    const set = labels.map((l) => ({ flag: labelFlag(l.title), on: true }));
    return [
      { kind: 'item-created', ...item, at: createdAt, status: to },
      ...(set.length > 0 ? [{ kind: 'flags-changed' as const, ...facts, ...created, at: createdAt, changes: set }] : []),
    ];
  }

  const previousLabels = payload.changes?.labels?.previous ?? labels;
  const previousStateId = payload.changes?.state_id?.previous;
  let previousState = previousStateId != null ? STATE_IDS[previousStateId] ?? a.state : a.state;
  // Older GitLab leaves state_id out of `changes` on close and reopen: the action says it.
  if (previousStateId == null && a.action === 'close') previousState = 'opened';
  if (previousStateId == null && a.action === 'reopen') previousState = 'closed';
  const from = gitlabStatus(previousLabels, previousState);
  const labelChanges = changedLabels(payload);
  if (from === to && labelChanges.length === 0) return [];

  const at = (a.action === 'close' ? parseVendorTime(a.closed_at) : null) ?? parseVendorTime(a.updated_at);
  if (at === null) return [];
  const events: TrackerEvent[] = [];
  if (from !== to) {
    events.push({ kind: 'status-changed', ...item, ...created, from, to, at });
    if (to === 'closed') events.push({ kind: 'item-closed', source: 'gitlab', key: item.key, at, isEpic });
  }
  if (labelChanges.length > 0) events.push({ kind: 'flags-changed', ...facts, ...created, at, changes: labelChanges });
  return events;
}

/** Labels added (set) and removed (cleared) by an update, from `changes.labels` previous/current. */
function changedLabels(payload: GitlabIssueEvent): { flag: string; on: boolean }[] {
  const change = payload.changes?.labels;
  if (!change) return [];
  const before = new Set((change.previous ?? []).map((l) => l.title));
  const after = new Set((change.current ?? []).map((l) => l.title));
  return [
    ...[...after].filter((t) => !before.has(t)).map((t) => ({ flag: labelFlag(t), on: true })),
    ...[...before].filter((t) => !after.has(t)).map((t) => ({ flag: labelFlag(t), on: false })),
  ];
}
