/**
 * GitHub deliveries → TrackerEvents. An issue's statuses are its states
 * (`open`, `closed`); with Projects v2 the Status field's option name is the
 * status. Items are keyed `owner/repo#number`.
 */
import { labelFlag } from '../../core/blocked-spans.ts';
import { mapItemType } from '../map-item-type.ts';
import type { NormalizeOptions } from '../normalize-options.ts';
import { parseVendorTime } from '../parse-time.ts';
import type { ItemOwner, TrackerEvent } from '../tracker-event.ts';
import type { GithubIssue, GithubProjectItemEvent, GithubWebhook } from './parse.ts';

export function githubKey(repo: string, issueNumber: number): string {
  return `${repo}#${issueNumber}`;
}

/** `https://api.github.com/repos/o/r/issues/7` → `o/r#7` */
export function githubParentKey(parentIssueUrl: string | null | undefined): string | null {
  const m = parentIssueUrl ? /\/repos\/([^/]+\/[^/]+)\/issues\/(\d+)$/.exec(parentIssueUrl) : null;
  return m ? githubKey(m[1], Number(m[2])) : null;
}

export function githubIssueFacts(repo: string, issue: GithubIssue, options: NormalizeOptions) {
  const labels = (issue.labels ?? []).map((l) => l.name);
  const typeName = issue.type?.name;
  const names = typeName ? [typeName, ...labels] : labels;
  const isEpic = typeName?.toLowerCase() === 'epic' || labels.some((l) => l.toLowerCase() === 'epic');
  const first = issue.assignees?.[0] ?? issue.user ?? null;
  const owner: ItemOwner | undefined = first ? { name: first.login, id: first.login } : undefined;
  return {
    key: githubKey(repo, issue.number),
    title: issue.title,
    type: mapItemType(names, options.typeMap),
    isEpic,
    parentKey: githubParentKey(issue.parent_issue_url),
    createdAt: parseVendorTime(issue.created_at),
    owner,
    ...(issue.node_id ? { nodeId: issue.node_id } : {}),
  };
}

export function normalize(payload: GithubWebhook, options: NormalizeOptions = {}): TrackerEvent[] {
  if (payload.event === 'projects_v2_item') return normalizeProjectItem(payload.body);
  const { action, issue, repository } = payload.body;
  const { createdAt, owner, ...facts } = githubIssueFacts(repository.full_name, issue, options);
  const item = { source: 'github' as const, ...facts, ...(owner ? { owner } : {}) };
  if (action === 'opened') {
    if (createdAt === null) return [];
    const labels = (issue.labels ?? []).map((l) => ({ flag: labelFlag(l.name), on: true }));
    const { owner: _, ...facts } = item;
    return [
      { kind: 'item-created', ...item, at: createdAt, status: 'open' },
      ...(labels.length > 0 ? [{ kind: 'flags-changed' as const, ...facts, createdAt, at: createdAt, changes: labels }] : []),
    ];
  }
  const created = createdAt !== null ? { createdAt } : {};
  if (action === 'labeled' || action === 'unlabeled') {
    const label = payload.body.label?.name;
    const at = parseVendorTime(issue.updated_at);
    if (!label || at === null) return [];
    const { owner: _, ...facts } = item;
    return [{ kind: 'flags-changed', ...facts, ...created, at, changes: [{ flag: labelFlag(label), on: action === 'labeled' }] }];
  }
  if (action === 'closed') {
    const at = parseVendorTime(issue.closed_at) ?? parseVendorTime(issue.updated_at);
    if (at === null) return [];
    return [
      { kind: 'status-changed', ...item, ...created, from: 'open', to: 'closed', at },
      { kind: 'item-closed', source: 'github', key: item.key, at, isEpic: item.isEpic },
    ];
  }
  if (action === 'reopened') {
    const at = parseVendorTime(issue.updated_at);
    if (at === null) return [];
    return [{ kind: 'status-changed', ...item, ...created, from: 'closed', to: 'open', at }];
  }
  // edited, typed...: no status change
  return [];
}

/**
 * Projects v2: a change of the single-select Status field. Payloads without
 * from/to (the published example, older GitHub) become a status-lookup: the
 * processor asks GitHub once for the item's Status.
 */
function normalizeProjectItem(body: GithubProjectItemEvent): TrackerEvent[] {
  const change = body.changes?.field_value;
  if (change?.field_type !== 'single_select') return [];
  if (change.field_name !== undefined && change.field_name.trim().toLowerCase() !== 'status') return [];
  const at = parseVendorTime(body.projects_v2_item.updated_at);
  if (at === null) return [];
  const nodeId = body.projects_v2_item.content_node_id;
  if (!change.to) {
    if (change.from) return []; // the Status was cleared: no column to record
    return [{
      kind: 'status-lookup', source: 'github', key: nodeId, nodeId, projectItemId: body.projects_v2_item.node_id, at,
      ...(change.field_node_id ? { fieldNodeId: change.field_node_id } : {}),
    }];
  }
  return [{ kind: 'status-changed', source: 'github', key: nodeId, nodeId, from: change.from?.name ?? null, to: change.to.name, at }];
}
