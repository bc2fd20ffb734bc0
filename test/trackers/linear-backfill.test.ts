/**
 * Linear backfill against a local server shaped like Linear's GraphQL API
 * (Relay pages of issues and of IssueHistory, a 429 with Retry-After, a
 * RATELIMITED error with X-RateLimit-Requests-*); the stored history equals
 * the same issues' webhooks; a later webhook update (previous state only by
 * id) continues from the backfilled history; and `flow-nudge backfill linear`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/database.ts';
import { saveStream } from '../../src/store/value-streams.ts';
import { getWorkItem } from '../../src/store/work-items.ts';
import { backfillLinear, linearBackfilledItem } from '../../src/trackers/linear/backfill.ts';
import { openTestStore, testDialects } from '../support/databases.ts';
import { applyWebhooks } from './support/apply-webhooks.ts';
import { runBackfillCli } from './support/backfill-cli.ts';
import { startFakeApi, type FakeHandler, type FakeRequest } from './support/fake-api.ts';

const MAP = { name: 'plat', timeZone: 'UTC', stages: [{ name: 'Doing', kind: 'touch' as const, statuses: ['In Progress', 'In Review'] }, { name: 'Done', kind: 'done' as const, statuses: ['Done'] }] };
const T = (day: number, hour = 9) => new Date(Date.UTC(2026, 3, day, hour)).toISOString();
const S = { Todo: { name: 'Todo', type: 'unstarted' }, 'In Progress': { name: 'In Progress', type: 'started' }, 'In Review': { name: 'In Review', type: 'started' }, Done: { name: 'Done', type: 'completed' } };
type StateName = keyof typeof S;
const move = (day: number, from: StateName | null, to: StateName) => ({ id: `h-${day}-${to}`, createdAt: T(day), fromState: from ? S[from] : null, toState: S[to], actor: { name: 'Someone' } });

const ISSUES = [
  { id: 'uuid-1', identifier: 'PLAT-1', number: 1, title: 'Checkout retries', createdAt: T(1), completedAt: T(5), canceledAt: null, state: S.Done, project: { id: 'proj-9' }, labels: { nodes: [{ name: 'Bug' }] },
    history: [move(1, null, 'Todo'), move(2, 'Todo', 'In Progress'), move(3, 'In Progress', 'In Review'), move(4, 'In Review', 'In Progress'), move(5, 'In Progress', 'Done')] },
  { id: 'uuid-2', identifier: 'PLAT-2', number: 2, title: 'Faster search', createdAt: T(2), completedAt: null, canceledAt: null, state: S['In Progress'], project: null, labels: { nodes: [] },
    history: [move(3, 'Todo', 'In Progress')] },
  { id: 'uuid-3', identifier: 'PLAT-3', number: 3, title: 'Untouched', createdAt: T(3), completedAt: null, canceledAt: null, state: S.Todo, project: null, labels: { nodes: [] }, history: [] },
];

/** Issues two per page; PLAT-1's history in pages of 2 (the first page embedded, the rest through issue(id)). */
function linearApi(behaviour: { throttleOnce?: boolean; limitedOnce?: boolean; failPage2?: boolean } = {}): FakeHandler {
  return (req: FakeRequest) => {
    if (req.headers.authorization !== 'lin_api_test') return { status: 400, body: { errors: [{ message: 'Authentication required, not authenticated', extensions: { code: 'AUTHENTICATION_ERROR' } }] } };
    if (req.method !== 'POST' || req.path !== '/graphql') return { status: 404, body: {} };
    const { query, variables } = JSON.parse(req.body) as { query: string; variables: { team?: string; id?: string; after?: string | null } };
    const headers = { 'x-ratelimit-requests-limit': '1500', 'x-ratelimit-requests-remaining': '1400', 'x-ratelimit-requests-reset': String(Date.now() + 3_600_000) };
    if (query.includes('FlowNudgeTeam')) return { headers, body: { data: { teams: { nodes: variables.team === 'PLAT' ? [{ id: 'team-1', key: 'PLAT', name: 'Platform' }] : [] } } } };
    const historyPage = (issue: (typeof ISSUES)[number], after: string | null) => {
      const start = after ? Number(after.slice(2)) : 0;
      const nodes = issue.history.slice(start, start + 2);
      const end = start + nodes.length;
      return { nodes, pageInfo: { hasNextPage: end < issue.history.length, endCursor: nodes.length ? `h:${end}` : null } };
    };
    if (query.includes('FlowNudgeHistory')) {
      const issue = ISSUES.find((i) => i.id === variables.id)!;
      if (behaviour.limitedOnce) {
        behaviour.limitedOnce = false;
        return { status: 400, headers: { ...headers, 'x-ratelimit-requests-remaining': '0', 'x-ratelimit-requests-reset': String(Date.now() + 4000) }, body: { errors: [{ message: 'Rate limit exceeded', extensions: { code: 'RATELIMITED' } }] } };
      }
      return { headers, body: { data: { issue: { history: historyPage(issue, variables.after ?? null) } } } };
    }
    if (query.includes('FlowNudgeBackfill')) {
      expect(variables.team).toBe('PLAT');
      const start = variables.after ? Number(variables.after.slice(2)) : 0;
      if (start > 0 && behaviour.failPage2) return { status: 502, body: 'Bad gateway' };
      if (start > 0 && behaviour.throttleOnce) {
        behaviour.throttleOnce = false;
        return { status: 429, headers: { 'retry-after': '5' }, body: { errors: [{ message: 'Too many requests' }] } };
      }
      const nodes = ISSUES.slice(start, start + 2).map((issue) => ({ ...issue, history: historyPage(issue, null) }));
      const end = start + nodes.length;
      return { headers, body: { data: { issues: { nodes, pageInfo: { hasNextPage: end < ISSUES.length, endCursor: `i:${end}` } } } } };
    }
    return { status: 400, body: { errors: [{ message: 'unknown query' }] } };
  };
}

/** The same issues as Linear Issue webhooks (create, then one update per state move). */
function webhooks() {
  const out: object[] = [];
  for (const issue of ISSUES) {
    const data = (state: object, updatedAt: string) => ({ id: issue.id, identifier: issue.identifier, number: issue.number, title: issue.title, createdAt: issue.createdAt, updatedAt, team: { key: 'PLAT' }, state, projectId: issue.project?.id ?? null, labels: issue.labels.nodes });
    const first = issue.history[0];
    out.push({ action: 'create', type: 'Issue', data: data(first ? (first.fromState ?? first.toState) : issue.state, issue.createdAt), webhookTimestamp: 1 });
    for (const h of issue.history) {
      if (!h.fromState) continue;
      out.push({ action: 'update', type: 'Issue', data: data(h.toState, h.createdAt), updatedFrom: { stateId: `id-of-${h.fromState.name}`, updatedAt: T(1) }, webhookTimestamp: 1 });
    }
  }
  return out;
}

const fast = { sleep: async () => {} };

for (const dialect of testDialects()) {
  describe(`linear backfill (${dialect})`, () => {
    let store: Store;
    let streamId: number;
    beforeEach(async () => {
      store = await openTestStore(dialect);
      streamId = await saveStream(store.db, MAP);
    });
    afterEach(async () => store.close());

    it('Relay pages of issues and history, a 429 with Retry-After and a RATELIMITED answer waited out; same history as the webhooks', async () => {
      const api = await startFakeApi(linearApi({ throttleOnce: true, limitedOnce: true }));
      const slept: number[] = [];
      const waits: string[] = [];
      try {
        const result = await backfillLinear({ db: store.db, streamId, team: 'PLAT', token: 'lin_api_test', apiUrl: `${api.url}/graphql`, pageSize: 2, sleep: async (ms) => { slept.push(ms); }, onWait: (_s, r) => waits.push(r) });
        expect(result).toMatchObject({ pages: 2, items: 3, resumed: false, skipped: [] });
      } finally {
        await api.close();
      }
      expect(waits).toEqual([expect.stringContaining('rate limited'), expect.stringContaining('429')]);
      expect(slept[0]).toBeGreaterThan(2000); // until X-RateLimit-Requests-Reset (epoch ms), ~4 s
      expect(slept[1]).toBe(5000); // Retry-After: 5
      const one = await getWorkItem(store.db, streamId, 'PLAT-1');
      expect(one?.transitions.map((t) => `${t.from ?? '∅'}→${t.to}`)).toEqual(['∅→Todo', 'Todo→In Progress', 'In Progress→In Review', 'In Review→In Progress', 'In Progress→Done']);
      expect(one).toMatchObject({ type: 'defect', parentKey: 'project:proj-9', closedAt: Date.parse(T(5)) });

      const hooked = await saveStream(store.db, { ...MAP, name: 'hooked' });
      await applyWebhooks(store, hooked, 'linear', webhooks().map((body) => ({ body })));
      for (const key of ['PLAT-1', 'PLAT-2', 'PLAT-3']) {
        const a = await getWorkItem(store.db, streamId, key);
        const b = await getWorkItem(store.db, hooked, key);
        expect(a?.transitions, key).toEqual(b?.transitions);
        expect(a?.closedAt, key).toBe(b?.closedAt);
        // the labels it has, never named by its history, are set at creation, as the create webhook sets them
        expect(a?.flags, key).toEqual(b?.flags);
      }

      expect((await getWorkItem(store.db, streamId, 'PLAT-1'))?.flags).toEqual([{ flag: 'label:Bug', on: true, at: Date.parse(T(1)) }]);

      // A webhook update names the previous state only by id: its from is the backfilled last status.
      const later = { action: 'update', type: 'Issue', data: { id: 'uuid-2', identifier: 'PLAT-2', number: 2, title: 'Faster search', createdAt: T(2), updatedAt: T(9), team: { key: 'PLAT' }, state: S.Done }, updatedFrom: { stateId: 'id-of-In Progress' }, webhookTimestamp: 1 };
      await applyWebhooks(store, streamId, 'linear', [{ body: later }]);
      expect((await getWorkItem(store.db, streamId, 'PLAT-2'))?.transitions.at(-1)).toEqual({ from: 'In Progress', to: 'Done', at: Date.parse(T(9)) });
    });

    it('an interrupted run continues after its last stored page', async () => {
      const behaviour = { failPage2: true };
      const api = await startFakeApi(linearApi(behaviour));
      const run = () => backfillLinear({ db: store.db, streamId, team: 'PLAT', token: 'lin_api_test', apiUrl: `${api.url}/graphql`, pageSize: 2, ...fast });
      try {
        await expect(run()).rejects.toThrow(/502/);
        expect(await getWorkItem(store.db, streamId, 'PLAT-2')).not.toBeNull();
        expect(await getWorkItem(store.db, streamId, 'PLAT-3')).toBeNull();
        behaviour.failPage2 = false;
        api.requests.length = 0;
        expect(await run()).toMatchObject({ resumed: true, pages: 1, items: 1 });
        const pages = api.requests.map((r) => JSON.parse(r.body)).filter((b) => b.query.includes('FlowNudgeBackfill')).map((b) => b.variables.after);
        expect(pages).toEqual(['i:2']);
      } finally {
        await api.close();
      }
    });

    it('an unknown team or a refused key stops before anything is stored, naming the fix', async () => {
      const api = await startFakeApi(linearApi());
      try {
        await expect(backfillLinear({ db: store.db, streamId, team: 'PALT', token: 'lin_api_test', apiUrl: `${api.url}/graphql`, ...fast })).rejects.toThrow(/no team with the key "PALT".*PLAT-123 → PLAT/);
        await expect(backfillLinear({ db: store.db, streamId, team: 'PLAT', token: 'lin_api_wrong', tokenVariable: 'LINEAR_API_KEY', apiUrl: `${api.url}/graphql`, ...fast })).rejects.toThrow(/refused the API key in LINEAR_API_KEY: set LINEAR_API_KEY to .*Personal API keys/);
        expect(api.requests.filter((r) => r.body.includes('FlowNudgeBackfill'))).toHaveLength(0);
      } finally {
        await api.close();
      }
    });
  });
}

describe('flow-nudge backfill linear (CLI)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'flow-nudge-linear-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('team and API from the stream\'s linear source; LINEAR_API_KEY named when missing', async () => {
    const api = await startFakeApi(linearApi());
    writeFileSync(join(dir, 'flow-nudge.yaml'), `streams:\n  - name: plat\n    map: { timeZone: UTC, stages: [{ name: Done, kind: done, statuses: [Done] }] }\n    sources: [{ vendor: linear, team: PLAT, secretEnv: LINEAR_HOOK, apiUrl: "${api.url}/graphql" }]\n`);
    const env = { DATABASE_URL: `file:${join(dir, 'db.sqlite')}`, FLOW_NUDGE_CONFIG: join(dir, 'flow-nudge.yaml') };
    const cli = (args: string[], extra: Record<string, string> = {}) => runBackfillCli(args, { ...env, ...extra });
    try {
      expect((await cli(['backfill', 'linear', '--stream', 'plat'])).error?.message).toMatch(/LINEAR_API_KEY is not set \(or name another variable in tokenEnv/);
      const run = await cli(['backfill', 'linear', '--stream', 'plat'], { LINEAR_API_KEY: 'lin_api_test' });
      expect(run.error).toBeNull();
      expect(run.out).toContain('linear backfill of plat: 3 items, 8 new transitions, 2 pages');
      expect((await cli(['backfill', 'linear', '--stream', 'plat', '--team', 'PL-1'], { LINEAR_API_KEY: 'x' })).error?.message).toContain('is not a team key');
    } finally {
      await api.close();
    }
  });
});

describe('linear backfill: labels from the history', () => {
  it('addedLabels and removedLabels of IssueHistory are labels set and cleared at the entry\'s time', () => {
    const issue = { id: 'u', identifier: 'PLAT-9', title: 'x', createdAt: T(1), state: S['In Progress'], labels: { nodes: [{ name: 'Bug' }] }, history: { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } } };
    const history = [
      { createdAt: T(2), addedLabels: [{ name: 'blocked' }], removedLabels: null },
      { createdAt: T(3), addedLabels: [], removedLabels: [{ name: 'blocked' }] },
    ];
    const item = linearBackfilledItem(issue, history, {});
    expect('flags' in item && item.flags).toEqual([
      { flag: 'label:blocked', on: true, at: Date.parse(T(2)) },
      { flag: 'label:blocked', on: false, at: Date.parse(T(3)) },
      { flag: 'label:Bug', on: true, at: Date.parse(T(1)) },
    ]);
  });
});
