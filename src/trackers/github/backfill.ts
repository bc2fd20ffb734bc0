/**
 * History backfill from GitHub: the repository's issues (`state=all`), then
 * its issue events (`/issues/events`: closed, reopened, labeled, unlabeled), both paged by the
 * Link header. Issues give creation, title, type and labels; events give the
 * open ⇄ closed transitions. Each page is stored, then the cursor (the next
 * URL), so a second run continues after the last stored page.
 */
import { z } from 'zod';
import { labelFlag } from '../../core/blocked-spans.ts';
import { getWorkItem } from '../../store/work-items.ts';
import { readBackfillCursor, saveBackfillCursor } from '../backfill-cursor.ts';
import { createBackfillClient, nextLink } from '../backfill-http.ts';
import { parseVendorTime } from '../parse-time.ts';
import { storeBackfilledItems, type BackfilledItem } from '../store-work-items.ts';
import { describeZodError } from '../describe-zod-error.ts';
import type { BackfillCommonOptions, BackfillResult } from '../backfill-options.ts';
import { githubIssueSchema } from './parse.ts';
import { githubIssueFacts, githubKey } from './normalize.ts';

const issueList = z.array(githubIssueSchema.extend({ pull_request: z.unknown().optional() }));
const eventList = z.array(
  z.looseObject({
    event: z.string(),
    created_at: z.string(),
    label: z.looseObject({ name: z.string() }).nullable().optional(),
    issue: githubIssueSchema.extend({ pull_request: z.unknown().optional() }).nullable().optional(),
  }),
);

export interface GithubBackfillOptions extends BackfillCommonOptions {
  /** OWNER/NAME */
  repo: string;
  token: string;
  /** https://api.github.com (tests: a local server; GitHub Enterprise: https://HOST/api/v3) */
  apiUrl?: string;
}

interface GithubCursor {
  phase: 'issues' | 'events';
  /** the next page's URL; null: the phase's first page */
  next: string | null;
  itemsDone: number;
}

export async function backfillGithub(options: GithubBackfillOptions): Promise<BackfillResult> {
  const now = options.now ?? (() => Date.now());
  const api = (options.apiUrl ?? 'https://api.github.com').replace(/\/+$/, '');
  const scope = `${api} ${options.repo}`;
  const client = createBackfillClient({
    headers: { authorization: `Bearer ${options.token}`, accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' },
    ...(options.onWait && { onWait: options.onWait }),
    ...(options.sleep && { sleep: options.sleep }),
  });
  const saved = options.restart ? null : await readBackfillCursor<GithubCursor>(options.db, options.streamId, 'github', scope);
  const resumed = saved !== null && !saved.done;
  let cursor: GithubCursor = resumed ? saved.position : { phase: 'issues', next: null, itemsDone: 0 };
  const result: BackfillResult = { pages: 0, items: 0, transitionsAdded: 0, resumed, skipped: [] };
  const first = {
    issues: `${api}/repos/${options.repo}/issues?state=all&per_page=100&sort=created&direction=asc`,
    events: `${api}/repos/${options.repo}/issues/events?per_page=100`,
  };
  options.onProgress?.(cursor.itemsDone, null);

  for (;;) {
    const url = cursor.next ?? first[cursor.phase];
    const { body, headers } = await client.get<unknown>(url);
    let items: BackfilledItem[];
    let count: number;
    if (cursor.phase === 'issues') {
      const page = issueList.safeParse(body);
      if (!page.success) throw new Error(`GitHub issues of ${options.repo}: ${describeZodError(page.error)}`);
      const issues = page.data.filter((issue) => issue.pull_request === undefined);
      items = issues.flatMap((issue) => {
        const facts = githubIssueFacts(options.repo, issue, options.normalize ?? {});
        if (facts.createdAt === null) {
          result.skipped.push({ key: facts.key, reason: 'no creation date' });
          return [];
        }
        return [{
          key: facts.key, type: facts.type, title: facts.title, isEpic: facts.isEpic, parentKey: facts.parentKey,
          createdAt: facts.createdAt, closedAt: issue.state === 'closed' ? parseVendorTime(issue.closed_at) : null,
          ...(facts.isEpic && facts.owner?.id && { outcomeOwner: facts.owner.id }),
          transitions: [{ from: null, to: 'open', at: facts.createdAt }],
        }];
      });
      count = issues.length;
    } else {
      const page = eventList.safeParse(body);
      if (!page.success) throw new Error(`GitHub issue events of ${options.repo}: ${describeZodError(page.error)}`);
      items = await eventsToItems(options, page.data, result);
      count = page.data.length;
    }
    result.transitionsAdded += await storeBackfilledItems(options.db, options.streamId, 'github', items, now());
    result.pages += 1;
    if (cursor.phase === 'issues') result.items += items.length;
    const next = nextLink(headers.get('link'));
    const phaseDone = next === null;
    const done = phaseDone && cursor.phase === 'events';
    cursor = phaseDone && cursor.phase === 'issues'
      ? { phase: 'events', next: null, itemsDone: cursor.itemsDone + count }
      : { phase: cursor.phase, next, itemsDone: cursor.itemsDone + count };
    await saveBackfillCursor(options.db, options.streamId, 'github', scope, { position: cursor, done }, now());
    options.onProgress?.(cursor.itemsDone, null);
    if (done) return result;
  }
}

/** closed / reopened events → transitions, labeled / unlabeled → flag events, of the issues they belong to (the issue is in the event). */
async function eventsToItems(options: GithubBackfillOptions, events: z.infer<typeof eventList>, result: BackfillResult): Promise<BackfilledItem[]> {
  const byKey = new Map<string, BackfilledItem>();
  for (const event of events) {
    const isLabel = event.event === 'labeled' || event.event === 'unlabeled';
    if (event.event !== 'closed' && event.event !== 'reopened' && !(isLabel && event.label)) continue;
    const issue = event.issue;
    if (!issue || issue.pull_request !== undefined) continue;
    const at = parseVendorTime(event.created_at);
    if (at === null) continue;
    const key = githubKey(options.repo, issue.number);
    let item = byKey.get(key);
    if (!item) {
      const facts = githubIssueFacts(options.repo, issue, options.normalize ?? {});
      const stored = await getWorkItem(options.db, options.streamId, key);
      const createdAt = facts.createdAt ?? stored?.createdAt;
      if (createdAt === undefined) {
        result.skipped.push({ key, reason: 'event of an issue without a creation date' });
        continue;
      }
      item = {
        key, type: stored?.type ?? facts.type, title: stored?.title ?? facts.title, isEpic: stored?.isEpic ?? facts.isEpic,
        parentKey: stored?.parentKey ?? facts.parentKey, createdAt, closedAt: issue.state === 'closed' ? parseVendorTime(issue.closed_at) : null,
        transitions: [],
      };
      byKey.set(key, item);
    }
    if (isLabel) {
      item.flags ??= [];
      item.flags.push({ flag: labelFlag(event.label!.name), on: event.event === 'labeled', at });
    } else item.transitions.push(event.event === 'closed' ? { from: 'open', to: 'closed', at } : { from: 'closed', to: 'open', at });
  }
  return [...byKey.values()];
}
