/**
 * GitHub Projects v2 deliveries without from/to: one GraphQL lookup of the
 * item's Status (against a local server shaped like api.github.com/graphql),
 * through the real route and processor; rate limits deferred, not waited in
 * the transaction; no token, another field, or an empty Status store nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.ts';
import type { Store } from '../../src/store/database.ts';
import { getStream } from '../../src/store/value-streams.ts';
import { getWorkItem } from '../../src/store/work-items.ts';
import { createProjectStatusLookup, LookupDeferredError } from '../../src/trackers/github/project-status.ts';
import type { TrackerEvent } from '../../src/trackers/tracker-event.ts';
import { openTestStore, testDialects } from '../support/databases.ts';
import { startTestServer, type TestServer } from '../http/support/test-server.ts';
import { startFakeApi, type FakeRequest } from './support/fake-api.ts';
import { readFixture, vendorHeaders } from './support/vendor-requests.ts';

const ITEM = 'PVTI_lADOAWcTxs07G84AVqWu';
const STATUS_FIELD = 'PVTF_lADOAWcTxs07G84AAali';
const statusAnswer = (name: string | null, updatedAt = '2022-06-08T20:34:26Z', fieldId = STATUS_FIELD) => ({
  data: { node: { id: ITEM, fieldValueByName: name === null ? null : { name, updatedAt, field: { id: fieldId, name: 'Status' } } } },
});
const lookupEvent: Extract<TrackerEvent, { kind: 'status-lookup' }> = {
  kind: 'status-lookup', source: 'github', key: 'I_1', nodeId: 'I_1', projectItemId: ITEM, fieldNodeId: STATUS_FIELD, at: Date.parse('2022-06-08T20:34:26Z'),
};

for (const dialect of testDialects()) {
  describe(`projects v2 Status lookup through the route (${dialect})`, () => {
    let store: Store;
    let server: TestServer;
    let api: Awaited<ReturnType<typeof startFakeApi>>;
    beforeEach(async () => {
      store = await openTestStore(dialect);
      api = await startFakeApi((req: FakeRequest) => {
        if (req.headers.authorization !== 'Bearer ghp-read') return { status: 401, body: { message: 'Bad credentials' } };
        if (req.path !== '/graphql') return { status: 404, body: { message: 'Not Found' } };
        const { variables } = JSON.parse(req.body) as { variables: { id: string } };
        return { headers: { 'x-ratelimit-remaining': '4999', 'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 3600) }, body: variables.id === ITEM ? statusAnswer('In Progress') : { data: { node: null } } };
      });
      const config = await parseConfig({
        streams: [{
          name: 'web',
          map: { timeZone: 'UTC', stages: [{ name: 'Backlog', kind: 'backlog', statuses: ['open'] }, { name: 'Doing', kind: 'touch', statuses: ['In Progress'] }, { name: 'Done', kind: 'done', statuses: ['closed'] }] },
          sources: [{ vendor: 'github', secretEnv: 'GH_SECRET', tokenEnv: 'GH_READ', apiUrl: api.url }],
        }],
      }, { path: null, env: { GH_SECRET: 'gh-secret', GH_READ: 'ghp-read' } });
      server = await startTestServer(store, config);
    });
    afterEach(async () => {
      await server.close();
      await api.close();
      await store.close();
    });

    it('the published example (no from/to) is stored as a move to the Status GitHub reports', async () => {
      const opened = JSON.parse(readFixture('github', 'issues_opened.json'));
      const nodeId = opened.issue.node_id as string;
      const openedText = JSON.stringify(opened);
      expect((await server.post('github', openedText, vendorHeaders('github', 'gh-secret', openedText))).status).toBe(202);
      const body = JSON.parse(readFixture('github', 'projects_v2_item_edited_single_select.json'));
      body.projects_v2_item.content_node_id = nodeId;
      body.projects_v2_item.updated_at = '2022-06-08T20:34:26Z';
      const text = JSON.stringify(body);
      expect((await server.post('github', text, vendorHeaders('github', 'gh-secret', text, { githubEvent: 'projects_v2_item' }))).status).toBe(202);
      await server.processor.idle();
      const stream = await getStream(store.db, 'web');
      const item = await getWorkItem(store.db, stream!.id, `${opened.repository.full_name}#${opened.issue.number}`);
      expect(item?.transitions.at(-1)).toEqual({ from: 'open', to: 'In Progress', at: Date.parse('2022-06-08T20:34:26Z') });
      const lookups = api.requests.filter((r) => r.path === '/graphql');
      expect(lookups).toHaveLength(1);
      expect(JSON.parse(lookups[0].body).variables).toEqual({ id: ITEM });
    });
  });
}

describe('projects v2 Status lookup', () => {
  it('a Retry-After of a minute is not waited: no request until it has passed, then one lookup', async () => {
    let clock = Date.UTC(2026, 11, 3, 7);
    let limited = true;
    const api = await startFakeApi(() => {
      if (limited) {
        limited = false;
        return { status: 403, headers: { 'retry-after': '60' }, body: { message: 'You have exceeded a secondary rate limit' } };
      }
      return { body: statusAnswer('Done') };
    });
    const slept: number[] = [];
    const resolve = createProjectStatusLookup({ now: () => clock, sleep: async (ms) => { slept.push(ms); } });
    const source = { vendor: 'github' as const, token: 'ghp-read', apiUrl: api.url };
    try {
      await expect(resolve([lookupEvent], source)).rejects.toBeInstanceOf(LookupDeferredError);
      await expect(resolve([lookupEvent], source)).rejects.toThrow(/no Projects v2 Status lookup before/);
      expect(api.requests).toHaveLength(1);
      clock += 61_000;
      expect(await resolve([lookupEvent], source)).toEqual([{ kind: 'status-changed', source: 'github', key: 'I_1', nodeId: 'I_1', from: null, to: 'Done', at: lookupEvent.at }]);
      expect(api.requests).toHaveLength(2);
      expect(slept).toEqual([]);
    } finally {
      await api.close();
    }
  });

  it('a GraphQL RATE_LIMITED answer with a short reset is waited, then retried', async () => {
    let limited = true;
    const api = await startFakeApi(() => {
      if (limited) {
        limited = false;
        return { headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 2) }, body: { errors: [{ type: 'RATE_LIMITED', message: 'API rate limit exceeded' }] } };
      }
      return { body: statusAnswer('In Review') };
    });
    const slept: number[] = [];
    const resolve = createProjectStatusLookup({ sleep: async (ms) => { slept.push(ms); } });
    try {
      const events = await resolve([lookupEvent], { vendor: 'github', token: 't', apiUrl: api.url });
      expect(events).toMatchObject([{ kind: 'status-changed', to: 'In Review' }]);
      expect(slept).toHaveLength(1);
      expect(slept[0]).toBeLessThanOrEqual(3000);
    } finally {
      await api.close();
    }
  });

  it('no token, another single-select field, an empty Status: nothing (and no request without a token)', async () => {
    let answer: object = statusAnswer('Todo', '2022-06-08T20:34:26Z', 'PVTF_other_field');
    const api = await startFakeApi(() => ({ body: answer }));
    const resolve = createProjectStatusLookup();
    try {
      expect(await resolve([lookupEvent], { vendor: 'github' })).toEqual([]);
      expect(api.requests).toHaveLength(0);
      expect(await resolve([lookupEvent], { vendor: 'github', token: 't', apiUrl: api.url })).toEqual([]);
      answer = statusAnswer(null);
      expect(await resolve([lookupEvent], { vendor: 'github', token: 't', apiUrl: api.url })).toEqual([]);
      // a later change already moved it: the value is recorded when it was set
      answer = statusAnswer('Done', '2022-06-09T08:00:00Z');
      expect(await resolve([lookupEvent], { vendor: 'github', token: 't', apiUrl: api.url })).toMatchObject([{ to: 'Done', at: Date.parse('2022-06-09T08:00:00Z') }]);
    } finally {
      await api.close();
    }
  });
});
