/**
 * History backfill from Jira Cloud: search with the changelog expanded
 * (`/rest/api/3/search/jql`, nextPageToken paging), then the full changelog of
 * any issue whose embedded one is cut short (`/rest/api/3/issue/{key}/changelog`,
 * startAt paging). Each page is stored, then the cursor, so a second run
 * continues after the last stored page.
 */
import { z } from 'zod';
import type { FlagEvent, Transition } from '../../core/types.ts';
import { changelogFlags } from './changelog-flags.ts';
import { readBackfillCursor, saveBackfillCursor } from '../backfill-cursor.ts';
import { createBackfillClient, type BackfillClient } from '../backfill-http.ts';
import type { NormalizeOptions } from '../normalize-options.ts';
import { parseVendorTime } from '../parse-time.ts';
import { storeBackfilledItems, type BackfilledItem } from '../store-work-items.ts';
import { describeZodError } from '../describe-zod-error.ts';
import type { BackfillCommonOptions, BackfillResult } from '../backfill-options.ts';
import { jiraIssueSchema } from './parse.ts';
import { isJiraEpic, jiraItemType, jiraOwner, statusItems } from './normalize.ts';

const history = z.looseObject({
  created: z.string(),
  items: z.array(z.looseObject({ field: z.string(), fieldId: z.string().optional() })),
});
const searchIssue = jiraIssueSchema.extend({
  changelog: z.looseObject({ startAt: z.number().optional(), maxResults: z.number().optional(), total: z.number().optional(), histories: z.array(history) }).optional(),
});
const searchPage = z.looseObject({ issues: z.array(searchIssue), nextPageToken: z.string().nullable().optional(), isLast: z.boolean().optional() });
const changelogPage = z.looseObject({ values: z.array(history), startAt: z.number(), maxResults: z.number(), total: z.number().optional(), isLast: z.boolean().optional() });

type History = z.infer<typeof history>;
type SearchIssue = z.infer<typeof searchIssue>;

export interface JiraBackfillOptions extends BackfillCommonOptions {
  /** e.g. https://acme.atlassian.net (tests: a local server) */
  site: string;
  jql: string;
  email: string;
  apiToken: string;
}

export type { BackfillResult };

interface JiraCursor {
  nextPageToken: string | null;
  itemsDone: number;
}

export async function backfillJira(options: JiraBackfillOptions): Promise<BackfillResult> {
  const now = options.now ?? (() => Date.now());
  const site = options.site.replace(/\/+$/, '');
  const scope = `${site} ${options.jql}`;
  const clientOptions = {
    headers: { authorization: `Basic ${Buffer.from(`${options.email}:${options.apiToken}`).toString('base64')}` },
    ...(options.onWait && { onWait: options.onWait }),
    ...(options.sleep && { sleep: options.sleep }),
  };
  const client = createBackfillClient(clientOptions);
  const saved = options.restart ? null : await readBackfillCursor<JiraCursor>(options.db, options.streamId, 'jira', scope);
  const resumed = saved !== null && !saved.done;
  let cursor: JiraCursor = resumed ? saved.position : { nextPageToken: null, itemsDone: 0 };
  const result: BackfillResult = { pages: 0, items: 0, transitionsAdded: 0, resumed, skipped: [] };

  let total: number | null = null;
  try {
    // only for the progress bar: no retries
    const count = await createBackfillClient({ ...clientOptions, maxRetries: 0 }).post<{ count?: number }>(`${site}/rest/api/3/search/approximate-count`, { jql: options.jql });
    total = typeof count.body.count === 'number' ? count.body.count : null;
  } catch {
    total = null; // the count is only for the progress bar
  }
  options.onProgress?.(cursor.itemsDone, total);

  for (;;) {
    const params = new URLSearchParams({ jql: options.jql, maxResults: String(options.pageSize ?? 50), expand: 'changelog', fields: 'summary,issuetype,status,parent,created,project,assignee,reporter,creator,labels' });
    if (cursor.nextPageToken) params.set('nextPageToken', cursor.nextPageToken);
    const { body } = await client.get<unknown>(`${site}/rest/api/3/search/jql?${params}`);
    const page = searchPage.safeParse(body);
    if (!page.success) throw new Error(`Jira search answered something that is not a search page: ${describeZodError(page.error)}`);
    const items: BackfilledItem[] = [];
    for (const issue of page.data.issues) {
      const histories = await fullChangelog(client, site, issue);
      const item = toBackfilledItem(issue, histories, options.normalize ?? {});
      if ('reason' in item) result.skipped.push({ key: issue.key, reason: item.reason });
      else items.push(item);
    }
    result.transitionsAdded += await storeBackfilledItems(options.db, options.streamId, 'jira', items, now());
    result.pages += 1;
    result.items += items.length;
    const next = page.data.nextPageToken ?? null;
    const done = page.data.isLast === true || !next || page.data.issues.length === 0;
    cursor = { nextPageToken: done ? null : next, itemsDone: cursor.itemsDone + page.data.issues.length };
    await saveBackfillCursor(options.db, options.streamId, 'jira', scope, { position: cursor, done }, now());
    options.onProgress?.(cursor.itemsDone, total);
    if (done) return result;
  }
}

/** The embedded changelog holds at most ~100 entries: page the dedicated endpoint when it says there are more. */
async function fullChangelog(client: BackfillClient, site: string, issue: SearchIssue): Promise<History[]> {
  const embedded = issue.changelog;
  if (embedded && (embedded.total === undefined || embedded.total <= embedded.histories.length)) return embedded.histories;
  const all: History[] = [];
  let startAt = 0;
  for (;;) {
    const { body } = await client.get<unknown>(`${site}/rest/api/3/issue/${encodeURIComponent(issue.key)}/changelog?startAt=${startAt}&maxResults=100`);
    const page = changelogPage.safeParse(body);
    if (!page.success) throw new Error(`Jira changelog of ${issue.key}: ${describeZodError(page.error)}`);
    all.push(...page.data.values);
    startAt = page.data.startAt + page.data.values.length;
    const total = page.data.total;
    if (page.data.isLast === true || page.data.values.length === 0 || (total !== undefined && startAt >= total)) return all;
  }
}

/** One issue and its history → a work item with transitions (the first status starts at creation) and flag events. */
export function toBackfilledItem(issue: SearchIssue, histories: readonly History[], options: NormalizeOptions): BackfilledItem | { reason: string } {
  const createdAt = parseVendorTime(issue.fields.created);
  if (createdAt === null) return { reason: 'no creation date' };
  const changes: Transition[] = [];
  const flags: FlagEvent[] = [];
  for (const h of histories) {
    const at = parseVendorTime(h.created);
    if (at === null) continue;
    flags.push(...changelogFlags(h.items, at));
    for (const item of statusItems(h.items)) {
      const to = ownString(item, 'toString');
      if (to) changes.push({ from: ownString(item, 'fromString'), to, at });
    }
  }
  changes.sort((a, b) => a.at - b.at);
  const initial = changes[0]?.from ?? issue.fields.status?.name ?? null;
  const transitions: Transition[] = initial ? [{ from: null, to: initial, at: createdAt }, ...changes] : changes;
  const isEpic = isJiraEpic(issue);
  const owner = jiraOwner(issue);
  const done = issue.fields.status?.statusCategory?.key === 'done';
  return {
    key: issue.key,
    type: jiraItemType(issue, options),
    title: issue.fields.summary ?? '',
    isEpic,
    parentKey: issue.fields.parent?.key ?? null,
    createdAt,
    closedAt: done ? (transitions.at(-1)?.at ?? createdAt) : null,
    ...(isEpic && owner && { outcomeOwner: owner.email ?? owner.id ?? owner.name }),
    transitions,
    ...(flags.length > 0 && { flags }),
  };
}

function ownString(item: object, name: 'toString' | 'fromString'): string | null {
  if (!Object.hasOwn(item, name)) return null;
  const value = (item as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : null;
}
