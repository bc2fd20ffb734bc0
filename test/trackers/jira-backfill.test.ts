/** Jira backfill against a local server shaped like Jira Cloud: nextPageToken pages, changelog paging, a 429 with Retry-After. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/database.ts';
import { saveStream } from '../../src/store/value-streams.ts';
import { getWorkItem } from '../../src/store/work-items.ts';
import { backfillJira } from '../../src/trackers/jira/backfill.ts';
import { openTestStore, testDialects } from '../support/databases.ts';
import { startFakeApi, type FakeRequest } from './support/fake-api.ts';

const MAP = { name: 'chk', timeZone: 'UTC', stages: [{ name: 'Done', kind: 'done' as const, statuses: ['Done'] }] };
const T = (day: number, hour = 9) => `2026-03-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00.000+0100`;
const at = (day: number, hour = 9) => Date.parse(T(day, hour).replace('+0100', '+01:00'));

function status(from: string, to: string, day: number) {
  return { id: `h${day}`, created: T(day), items: [{ field: 'status', fieldtype: 'jira', fieldId: 'status', fromString: from, toString: to }] };
}
function issue(key: string, type: string, created: number, histories: object[], extra: Record<string, unknown> = {}, changelogTotal?: number) {
  return {
    id: key, key,
    fields: { summary: `Summary ${key}`, issuetype: { name: type }, project: { key: 'CHK' }, status: { name: 'Done', statusCategory: { key: 'done' } }, created: T(created), ...extra },
    changelog: { startAt: 0, maxResults: histories.length, total: changelogTotal ?? histories.length, histories },
  };
}

function flagged(set: boolean, day: number, hour: number) {
  const item = set ? { fromString: null, toString: 'Impediment' } : { fromString: 'Impediment', toString: null };
  return { id: `f${day}${hour}`, created: T(day, hour), items: [{ field: 'Flagged', fieldtype: 'custom', fieldId: 'customfield_10021', from: null, to: null, ...item }] };
}

const PAGE_1 = [
  // flagged on day 2 from 10:00 to 15:00 (the REST changelog's Flagged field)
  issue('CHK-1', 'Story', 1, [status('To Do', 'In Progress', 2), flagged(true, 2, 10), flagged(false, 2, 15), status('In Progress', 'Done', 4)]),
  // 3 status changes, the embedded changelog holds only the latest: page the changelog endpoint
  issue('CHK-2', 'Bug', 1, [status('In Review', 'Done', 9)], {}, 3),
];
const PAGE_2 = [issue('CHK-3', 'Epic', 3, [], { status: { name: 'To Do', statusCategory: { key: 'new' } }, assignee: { accountId: 'acc-1', displayName: 'PM One', emailAddress: 'pm@example.com' } })];

function jiraApi(options: { failPage2?: boolean; throttlePage2?: boolean } = {}) {
  let throttled = false;
  return (req: FakeRequest) => {
    if (req.headers.authorization !== `Basic ${Buffer.from('me@example.com:tok').toString('base64')}`) return { status: 401, body: { errorMessages: ['auth'] } };
    if (req.method === 'POST' && req.path === '/rest/api/3/search/approximate-count') return { body: { count: 3 } };
    if (req.path === '/rest/api/3/search/jql') {
      expect(req.query.get('expand')).toBe('changelog');
      expect(req.query.get('jql')).toBe('project = CHK');
      const token = req.query.get('nextPageToken');
      if (!token) return { body: { issues: PAGE_1, nextPageToken: 'tok-2', isLast: false } };
      if (options.failPage2) return { status: 400, body: { errorMessages: ['The page token expired'] } };
      if (options.throttlePage2 && !throttled) {
        throttled = true;
        return { status: 429, headers: { 'retry-after': '1' }, body: {} };
      }
      return { body: { issues: PAGE_2, isLast: true } };
    }
    if (req.path === '/rest/api/3/issue/CHK-2/changelog') {
      const startAt = Number(req.query.get('startAt'));
      const all = [status('To Do', 'In Progress', 2), status('In Progress', 'In Review', 5), status('In Review', 'Done', 9)];
      return { body: { startAt, maxResults: 2, total: 3, isLast: startAt + 2 >= 3, values: all.slice(startAt, startAt + 2) } };
    }
    return { status: 404, body: {} };
  };
}

for (const dialect of testDialects()) {
  describe(`jira backfill (${dialect})`, () => {
    let store: Store;
    let streamId: number;
    beforeEach(async () => {
      store = await openTestStore(dialect);
      streamId = await saveStream(store.db, MAP);
    });
    afterEach(async () => store.close());

    const run = (site: string, extra: Partial<Parameters<typeof backfillJira>[0]> = {}) =>
      backfillJira({ db: store.db, streamId, site, jql: 'project = CHK', email: 'me@example.com', apiToken: 'tok', pageSize: 2, ...extra });

    it('pages through the search and each long changelog, and waits out a 429', async () => {
      const api = await startFakeApi(jiraApi({ throttlePage2: true }));
      const waits: number[] = [];
      const progress: [number, number | null][] = [];
      const started = Date.now();
      try {
        const result = await run(api.url, { onWait: (s) => waits.push(s), onProgress: (d, t) => progress.push([d, t]) });
        expect(result).toMatchObject({ pages: 2, items: 3, resumed: false, skipped: [] });
      } finally {
        await api.close();
      }
      expect(waits).toEqual([1]);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
      expect(api.requests.filter((r) => r.query.get('nextPageToken') === 'tok-2')).toHaveLength(2);
      expect(progress.at(-1)).toEqual([3, 3]);

      const one = await getWorkItem(store.db, streamId, 'CHK-1');
      expect(one?.transitions).toEqual([
        { from: null, to: 'To Do', at: at(1) },
        { from: 'To Do', to: 'In Progress', at: at(2) },
        { from: 'In Progress', to: 'Done', at: at(4) },
      ]);
      expect(one?.closedAt).toBe(at(4));
      expect(one?.flags).toEqual([{ flag: 'flagged', on: true, at: at(2, 10) }, { flag: 'flagged', on: false, at: at(2, 15) }]);
      const two = await getWorkItem(store.db, streamId, 'CHK-2');
      expect(two?.type).toBe('defect');
      expect(two?.transitions.map((t) => t.to)).toEqual(['To Do', 'In Progress', 'In Review', 'Done']);
      const epic = await getWorkItem(store.db, streamId, 'CHK-3');
      expect(epic).toMatchObject({ isEpic: true, outcomeOwner: 'pm@example.com', closedAt: null });
      expect(epic?.transitions).toEqual([{ from: null, to: 'To Do', at: at(3) }]);
    });

    it('a second run continues where the first stopped', async () => {
      const behaviour = { failPage2: true };
      const api = await startFakeApi(jiraApi(behaviour));
      try {
        await expect(run(api.url)).rejects.toThrow(/400 .*page token expired/);
        expect(await getWorkItem(store.db, streamId, 'CHK-1')).not.toBeNull();
        expect(await getWorkItem(store.db, streamId, 'CHK-3')).toBeNull();
        behaviour.failPage2 = false;
        api.requests.length = 0;
        const result = await run(api.url);
        expect(result).toMatchObject({ resumed: true, pages: 1, items: 1 });
        const searches = api.requests.filter((r) => r.path === '/rest/api/3/search/jql');
        expect(searches.map((r) => r.query.get('nextPageToken'))).toEqual(['tok-2']); // page 1 not fetched again
        expect(await getWorkItem(store.db, streamId, 'CHK-3')).not.toBeNull();
        // after a finished run, the next one starts over and adds nothing new
        const again = await run(api.url);
        expect(again).toMatchObject({ resumed: false, pages: 2, transitionsAdded: 0 });
      } finally {
        await api.close();
      }
    });
  });
}
