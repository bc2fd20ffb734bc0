/**
 * History backfill from GitLab (REST v4): the project's issues, oldest first
 * (page pagination by the Link header), and for each its state events
 * (`resource_state_events`: closed, reopened) and label events
 * (`resource_label_events`: scoped `workflow::<status>` labels are the board
 * columns). Replaying them in time order gives the same statuses the Issue
 * Hook gives (gitlabStatus). Each page of issues is stored, then the cursor
 * (the next page's URL), so a second run continues after the last stored page.
 */
import { z } from 'zod';
import { labelFlag } from '../../core/blocked-spans.ts';
import type { FlagEvent, Transition } from '../../core/types.ts';
import { readBackfillCursor, saveBackfillCursor } from '../backfill-cursor.ts';
import { BackfillHttpError, createBackfillClient, nextLink, type BackfillClient } from '../backfill-http.ts';
import { mapItemType } from '../map-item-type.ts';
import type { NormalizeOptions } from '../normalize-options.ts';
import { parseVendorTime } from '../parse-time.ts';
import { storeBackfilledItems, type BackfilledItem } from '../store-work-items.ts';
import { describeZodError } from '../describe-zod-error.ts';
import type { BackfillCommonOptions, BackfillResult } from '../backfill-options.ts';
import { gitlabStatus } from './normalize.ts';

const person = z.looseObject({ username: z.string().optional(), name: z.string().optional() });
const issueSchema = z.looseObject({
  iid: z.number().int().positive(),
  title: z.string(),
  state: z.string(),
  created_at: z.string(),
  closed_at: z.string().nullable().optional(),
  labels: z.array(z.string()).optional(),
  /** ISSUE, INCIDENT, TASK, ... (upper case in REST) */
  type: z.string().nullable().optional(),
  issue_type: z.string().nullable().optional(),
  assignees: z.array(person).nullable().optional(),
  author: person.nullable().optional(),
});
const stateEvents = z.array(z.looseObject({ created_at: z.string(), state: z.string() }));
const labelEvents = z.array(z.looseObject({ created_at: z.string(), action: z.string(), label: z.looseObject({ name: z.string() }).nullable() }));
const projectSchema = z.looseObject({ id: z.number(), path_with_namespace: z.string() });

type Issue = z.infer<typeof issueSchema>;
type StateEvent = z.infer<typeof stateEvents>[number];
type LabelEvent = z.infer<typeof labelEvents>[number];

export interface GitlabBackfillOptions extends BackfillCommonOptions {
  /** the project's path, e.g. acme/platform (items are keyed acme/platform#iid, as webhooks key them) */
  project: string;
  token: string;
  /** https://gitlab.com/api/v4 (self-managed: https://HOST/api/v4; tests: a local server) */
  apiUrl?: string;
}

interface GitlabCursor {
  /** the next page of issues; null: the first */
  next: string | null;
  itemsDone: number;
}

/** Label events this close to creation (ms) are the labels the issue was created with. */
const CREATION_WINDOW_MS = 1000;

export async function backfillGitlab(options: GitlabBackfillOptions): Promise<BackfillResult> {
  const now = options.now ?? (() => Date.now());
  const api = (options.apiUrl ?? 'https://gitlab.com/api/v4').replace(/\/+$/, '');
  const scope = `${api} ${options.project}`;
  const client = createBackfillClient({
    headers: { 'private-token': options.token },
    ...(options.onWait && { onWait: options.onWait }),
    ...(options.sleep && { sleep: options.sleep }),
  });
  const projectPath = encodeURIComponent(options.project);
  await checkProject(client, api, options.project, options.tokenVariable);

  const saved = options.restart ? null : await readBackfillCursor<GitlabCursor>(options.db, options.streamId, 'gitlab', scope);
  const resumed = saved !== null && !saved.done;
  let cursor: GitlabCursor = resumed ? saved.position : { next: null, itemsDone: 0 };
  const result: BackfillResult = { pages: 0, items: 0, transitionsAdded: 0, resumed, skipped: [] };
  const first = `${api}/projects/${projectPath}/issues?scope=all&state=all&order_by=created_at&sort=asc&per_page=${options.pageSize ?? 50}`;
  let total: number | null = null;
  options.onProgress?.(cursor.itemsDone, total);

  for (;;) {
    const { body, headers } = await client.get<unknown>(cursor.next ?? first);
    const page = z.array(issueSchema).safeParse(body);
    if (!page.success) throw new Error(`GitLab issues of ${options.project}: ${describeZodError(page.error)}`);
    const totalHeader = headers.get('x-total');
    if (totalHeader && /^\d+$/.test(totalHeader)) total = Number(totalHeader);
    const items: BackfilledItem[] = [];
    for (const issue of page.data) {
      const base = `${api}/projects/${projectPath}/issues/${issue.iid}`;
      const states = await allPages(client, `${base}/resource_state_events?per_page=100`, stateEvents, `state events of #${issue.iid}`);
      const labels = await allPages(client, `${base}/resource_label_events?per_page=100`, labelEvents, `label events of #${issue.iid}`);
      const item = gitlabBackfilledItem(options.project, issue, states, labels, options.normalize ?? {});
      if ('reason' in item) result.skipped.push({ key: `${options.project}#${issue.iid}`, reason: item.reason });
      else items.push(item);
    }
    result.transitionsAdded += await storeBackfilledItems(options.db, options.streamId, 'gitlab', items, now());
    result.pages += 1;
    result.items += items.length;
    const next = nextLink(headers.get('link')) ?? nextPageUrl(cursor.next ?? first, headers.get('x-next-page'));
    const done = next === null || page.data.length === 0;
    cursor = { next: done ? null : next, itemsDone: cursor.itemsDone + page.data.length };
    await saveBackfillCursor(options.db, options.streamId, 'gitlab', scope, { position: cursor, done }, now());
    options.onProgress?.(cursor.itemsDone, total);
    if (done) return result;
  }
}

/** A wrong project or token stops before anything is stored, with the fix. */
async function checkProject(client: BackfillClient, api: string, project: string, tokenVariable = 'the token variable'): Promise<void> {
  try {
    const { body } = await client.get<unknown>(`${api}/projects/${encodeURIComponent(project)}`);
    const parsed = projectSchema.safeParse(body);
    if (!parsed.success) throw new Error(`GitLab answered something that is not a project for ${project}: ${describeZodError(parsed.error)}`);
  } catch (error) {
    if (error instanceof BackfillHttpError && error.status === 404) {
      throw new Error(`GitLab has no project "${project}" that this token can read: use the project's full path as in its URL (group/subgroup/project), in the source's project key of flow-nudge.yaml or --project`);
    }
    if (error instanceof BackfillHttpError && (error.status === 401 || error.status === 403)) {
      throw new Error(`GitLab refused the token in ${tokenVariable} (${error.status}): set ${tokenVariable} to a personal, group or project access token with the read_api scope`);
    }
    throw error;
  }
}

/** `page=N` replaced by X-Next-Page (GitLab without Link headers); null when there is no next page. */
function nextPageUrl(url: string, nextPage: string | null): string | null {
  if (!nextPage || !/^\d+$/.test(nextPage.trim())) return null;
  const u = new URL(url);
  u.searchParams.set('page', nextPage.trim());
  return u.toString();
}

async function allPages<T>(client: BackfillClient, url: string, schema: z.ZodType<T[]>, what: string): Promise<T[]> {
  const all: T[] = [];
  let next: string | null = url;
  while (next) {
    const { body, headers }: { body: unknown; headers: Headers } = await client.get<unknown>(next);
    const page = schema.safeParse(body);
    if (!page.success) throw new Error(`GitLab ${what}: ${describeZodError(page.error)}`);
    all.push(...page.data);
    next = page.data.length === 0 ? null : (nextLink(headers.get('link')) ?? nextPageUrl(next, headers.get('x-next-page')));
  }
  return all;
}

/**
 * One issue and its events → a work item whose transitions are the statuses
 * the Issue Hook would have reported (gitlabStatus after each moment's events).
 * Labels it has now without any event were there from the start. Every label added or removed
 * is also a flag event (set at creation for the labels it started with).
 */
export function gitlabBackfilledItem(project: string, issue: Issue, states: readonly StateEvent[], labels: readonly LabelEvent[], options: NormalizeOptions): BackfilledItem | { reason: string } {
  const createdAt = parseVendorTime(issue.created_at);
  if (createdAt === null) return { reason: 'no creation date' };
  type Change = { at: number; apply: (s: { state: string; labels: string[] }) => void };
  const changes: Change[] = [];
  const flags: FlagEvent[] = [];
  const withEvents = new Set(labels.flatMap((e) => (e.label ? [e.label.name] : [])));
  const current: { state: string; labels: string[] } = { state: 'opened', labels: (issue.labels ?? []).filter((l) => !withEvents.has(l)) };
  for (const e of labels) {
    const at = parseVendorTime(e.created_at);
    const name = e.label?.name;
    if (at === null || !name) continue;
    const apply = (s: { labels: string[] }) => {
      s.labels = s.labels.filter((l) => l !== name);
      if (e.action === 'add') s.labels.push(name);
    };
    if (at <= createdAt + CREATION_WINDOW_MS) apply(current);
    else {
      changes.push({ at, apply });
      flags.push({ flag: labelFlag(name), on: e.action === 'add', at });
    }
  }
  flags.unshift(...current.labels.map((name) => ({ flag: labelFlag(name), on: true, at: createdAt })));
  for (const e of states) {
    const at = parseVendorTime(e.created_at);
    if (at === null) continue;
    changes.push({ at, apply: (s) => { s.state = e.state === 'closed' ? 'closed' : 'opened'; } });
  }
  changes.sort((a, b) => a.at - b.at);
  const statusOf = (s: typeof current) => gitlabStatus(s.labels.map((title) => ({ title })), s.state);
  const transitions: Transition[] = [{ from: null, to: statusOf(current), at: createdAt }];
  for (let i = 0; i < changes.length; ) {
    const at = changes[i].at;
    for (; i < changes.length && changes[i].at === at; i++) changes[i].apply(current);
    const to = statusOf(current);
    const from = transitions.at(-1)!.to;
    if (to !== from) transitions.push({ from, to, at });
  }
  const typeName = issue.type ?? issue.issue_type ?? null;
  const names = [...(typeName ? [typeName] : []), ...(issue.labels ?? [])];
  const isEpic = typeName?.toLowerCase() === 'epic';
  const owner = issue.assignees?.[0] ?? issue.author ?? null;
  return {
    key: `${project}#${issue.iid}`,
    type: mapItemType(names, options.typeMap),
    title: issue.title,
    isEpic,
    parentKey: null,
    createdAt,
    closedAt: issue.state === 'closed' ? (parseVendorTime(issue.closed_at) ?? transitions.at(-1)!.at) : null,
    ...(isEpic && owner && { outcomeOwner: owner.username ?? owner.name }),
    transitions,
    ...(flags.length > 0 && { flags }),
  };
}
