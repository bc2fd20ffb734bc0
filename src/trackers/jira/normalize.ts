/** Jira issue webhooks → TrackerEvents. */
import type { ItemType } from '../../core/types.ts';
import { mapItemType } from '../map-item-type.ts';
import type { NormalizeOptions } from '../normalize-options.ts';
import { parseVendorTime } from '../parse-time.ts';
import type { ItemOwner, TrackerEvent } from '../tracker-event.ts';
import type { JiraIssue, JiraWebhook } from './parse.ts';
import { changelogFlags } from './changelog-flags.ts';

type JiraUser = NonNullable<JiraIssue['fields']['assignee']>;

export function isJiraEpic(issue: JiraIssue): boolean {
  const t = issue.fields.issuetype;
  return t.name.toLowerCase() === 'epic' || t.hierarchyLevel === 1;
}

/** The person asked for an epic's anticipated outcome: assignee, else reporter, else creator. */
export function jiraOwner(issue: JiraIssue): ItemOwner | undefined {
  const u: JiraUser | null | undefined = issue.fields.assignee ?? issue.fields.reporter ?? issue.fields.creator;
  if (!u) return undefined;
  const owner: ItemOwner = {};
  if (u.emailAddress) owner.email = u.emailAddress;
  if (u.displayName ?? u.name) owner.name = u.displayName ?? u.name;
  if (u.accountId ?? u.name) owner.id = u.accountId ?? u.name;
  return owner;
}

export function jiraItemType(issue: JiraIssue, options: NormalizeOptions) {
  return mapItemType([issue.fields.issuetype.name], options.typeMap);
}

/** The status change items of a changelog: `fieldId` is `status`, or (older/localized Jira) the field is named Status. */
export function statusItems<T extends { field: string; fieldId?: string }>(items: readonly T[]): T[] {
  return items.filter((i) => (i.fieldId !== undefined ? i.fieldId === 'status' : i.field.toLowerCase() === 'status'));
}

/** A changelog item's own string property (`toString` would otherwise find Object.prototype.toString). */
function ownString(item: object | undefined, name: 'toString' | 'fromString'): string | null {
  if (!item || !Object.hasOwn(item, name)) return null;
  const value = (item as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : null;
}

function eventTime(payload: JiraWebhook, fallback: string | null | undefined): number | null {
  return parseVendorTime(payload.timestamp) ?? parseVendorTime(fallback);
}

export function normalize(payload: JiraWebhook, options: NormalizeOptions = {}): TrackerEvent[] {
  const issue = payload.issue;
  const base = {
    source: 'jira' as const,
    key: issue.key,
    title: issue.fields.summary ?? '',
    type: jiraItemType(issue, options),
    isEpic: isJiraEpic(issue),
    parentKey: issue.fields.parent?.key ?? null,
  };
  const createdAt = parseVendorTime(issue.fields.created);
  const owner = jiraOwner(issue);
  const events: TrackerEvent[] = [];

  if (payload.webhookEvent === 'jira:issue_created') {
    const at = createdAt ?? eventTime(payload, issue.fields.updated);
    if (at === null) return [];
    const initial = ownString(statusItems(payload.changelog?.items ?? []).at(-1), 'toString') ?? issue.fields.status?.name ?? null;
    events.push({ kind: 'item-created', ...base, at, status: initial, ...(owner ? { owner } : {}) });
    const flags = flagsChanged(payload, base, at, createdAt);
    if (flags) events.push(flags);
    return events;
  }

  // jira:issue_updated: one status-changed per status item of the changelog.
  const at = eventTime(payload, issue.fields.updated);
  if (at === null) return [];
  for (const item of statusItems(payload.changelog?.items ?? [])) {
    const to = ownString(item, 'toString');
    if (!to) continue;
    events.push({
      kind: 'status-changed',
      ...base,
      from: ownString(item, 'fromString'),
      to,
      at,
      ...(createdAt !== null ? { createdAt } : {}),
      ...(owner ? { owner } : {}),
    });
  }
  const closed =
    payload.issue_event_type_name === 'issue_closed' ||
    (events.length > 0 && issue.fields.status?.statusCategory?.key === 'done');
  if (closed) events.push({ kind: 'item-closed', source: 'jira', key: issue.key, at, isEpic: base.isEpic });
  const flags = flagsChanged(payload, base, at, createdAt);
  if (flags) events.push(flags);
  return events;
}

/** The Flagged field and labels set or cleared by the changelog, as one event (null: none). */
function flagsChanged(
  payload: JiraWebhook,
  base: { source: 'jira'; key: string; title: string; type: ItemType; isEpic: boolean; parentKey: string | null },
  at: number,
  createdAt: number | null,
): TrackerEvent | null {
  const changes = changelogFlags(payload.changelog?.items ?? [], at).map(({ flag, on }) => ({ flag, on }));
  if (changes.length === 0) return null;
  return { kind: 'flags-changed', ...base, at, changes, ...(createdAt !== null ? { createdAt } : {}) };
}
