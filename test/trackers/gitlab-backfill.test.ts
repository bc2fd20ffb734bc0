/**
 * GitLab backfill against a local server shaped like the GitLab REST v4 API
 * (issues, resource_state_events, resource_label_events; Link pages,
 * RateLimit-* and a 429 with Retry-After); the stored history equals the one
 * the same issues give as Issue Hook deliveries; and `flow-nudge backfill gitlab`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore, type Store } from '../../src/store/database.ts';
import { getStream, saveStream } from '../../src/store/value-streams.ts';
import { getWorkItem } from '../../src/store/work-items.ts';
import { backfillGitlab } from '../../src/trackers/gitlab/backfill.ts';
import { openTestStore, testDialects } from '../support/databases.ts';
import { applyWebhooks } from './support/apply-webhooks.ts';
import { runBackfillCli } from './support/backfill-cli.ts';
import { startFakeApi, type FakeHandler, type FakeRequest } from './support/fake-api.ts';

const MAP = { name: 'platform', timeZone: 'UTC', stages: [{ name: 'Doing', kind: 'touch' as const, statuses: ['In dev', 'In review'] }, { name: 'Done', kind: 'done' as const, statuses: ['closed'] }] };
const T = (day: number, hour = 9, ms = 0) => new Date(Date.UTC(2026, 2, day, hour, 0, 0, ms)).toISOString();
const user = { id: 1, name: 'Administrator', username: 'root', state: 'active', avatar_url: 'https://www.gravatar.com/avatar/0', web_url: 'http://gitlab.example.com/root' };

function restIssue(iid: number, created: number, state: string, labels: string[], extra: Record<string, unknown> = {}) {
  return {
    id: 1000 + iid, iid, project_id: 5, title: `Issue ${iid}`, description: '', state, created_at: T(created), updated_at: T(created),
    closed_at: null, closed_by: null, labels, milestone: null, assignees: [], author: user, type: 'ISSUE', issue_type: 'issue',
    web_url: `http://gitlab.example.com/acme/platform/-/issues/${iid}`, references: { short: `#${iid}`, relative: `#${iid}`, full: `acme/platform#${iid}` }, ...extra,
  };
}
const labelEvent = (id: number, iid: number, at: string, action: 'add' | 'remove', name: string) => ({
  id, user, created_at: at, resource_type: 'Issue', resource_id: 1000 + iid, label: { id: name.length, name, color: '#428BCA', description: null }, action,
});
const stateEvent = (id: number, iid: number, at: string, state: string) => ({ id, user, created_at: at, resource_type: 'Issue', resource_id: 1000 + iid, state });

const ISSUES = [
  restIssue(1, 2, 'closed', ['workflow::In review'], { closed_at: T(5, 12) }),
  restIssue(2, 2, 'opened', ['bug']),
  restIssue(3, 3, 'opened', []),
];
const LABEL_EVENTS: Record<number, object[]> = {
  1: [
    labelEvent(1, 1, T(2, 9, 400), 'add', 'workflow::Backlog'),
    labelEvent(2, 1, T(3, 10), 'remove', 'workflow::Backlog'),
    labelEvent(3, 1, T(3, 10), 'add', 'workflow::In dev'),
    labelEvent(4, 1, T(4, 11), 'add', 'workflow::In review'),
    labelEvent(5, 1, T(4, 11), 'remove', 'workflow::In dev'),
  ],
  2: [],
  3: [],
};
const STATE_EVENTS: Record<number, object[]> = { 1: [stateEvent(9, 1, T(5, 12), 'closed')], 2: [stateEvent(10, 2, T(6), 'closed'), stateEvent(11, 2, T(7), 'reopened')], 3: [] };

function gitlabApi(behaviour: { throttlePage2?: boolean; failPage2?: boolean; exhaustOnce?: boolean } = {}): FakeHandler {
  return (req: FakeRequest, base: string) => {
    if (req.headers['private-token'] !== 'glpat-test') return { status: 401, body: { message: '401 Unauthorized' } };
    const issues = '/api/v4/projects/acme%2Fplatform/issues';
    if (req.path === '/api/v4/projects/acme%2Fplatform') return { body: { id: 5, name: 'platform', path_with_namespace: 'acme/platform' } };
    if (req.path === issues) {
      const page = req.query.get('page') ?? '1';
      if (page === '2') {
        if (behaviour.failPage2) return { status: 500, body: { message: '500 Internal Server Error' } };
        if (behaviour.throttlePage2) {
          behaviour.throttlePage2 = false;
          return { status: 429, headers: { 'retry-after': '7', 'ratelimit-remaining': '0', 'ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 7) }, body: { message: 'Retry later' } };
        }
        return { headers: { 'x-total': '3', 'x-page': '2', 'x-next-page': '' }, body: [ISSUES[2]] };
      }
      return {
        headers: { 'x-total': '3', 'x-page': '1', 'x-next-page': '2', link: `<${base}${issues}?page=2&per_page=2&scope=all&state=all&order_by=created_at&sort=asc>; rel="next", <${base}${issues}?page=2&per_page=2>; rel="last"` },
        body: ISSUES.slice(0, 2),
      };
    }
    const m = /^\/api\/v4\/projects\/acme%2Fplatform\/issues\/(\d+)\/resource_(label|state)_events$/.exec(req.path);
    if (m) {
      const iid = Number(m[1]);
      const events = (m[2] === 'label' ? LABEL_EVENTS : STATE_EVENTS)[iid];
      // label events of #1 come in two pages, found by X-Next-Page only (no Link header)
      if (m[2] === 'label' && iid === 1) {
        const page = Number(req.query.get('page') ?? '1');
        const headers: Record<string, string> = page === 1 ? { 'x-next-page': '2' } : {};
        if (page === 1 && behaviour.exhaustOnce) {
          behaviour.exhaustOnce = false;
          Object.assign(headers, { 'ratelimit-remaining': '0', 'ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 3) });
        }
        return { headers, body: page === 1 ? events.slice(0, 3) : events.slice(3) };
      }
      return { body: events };
    }
    return { status: 404, body: { message: '404 Project Not Found' } };
  };
}

/** The same issues as Issue Hook bodies. */
function hookBody(iid: number, action: string, state: string, labels: string[], updatedAt: string, changes: Record<string, unknown> = {}, closedAt: string | null = null) {
  const issue = ISSUES[iid - 1];
  return {
    object_kind: 'issue', event_type: 'issue', user: { name: 'Administrator', username: 'root' },
    project: { id: 5, path_with_namespace: 'acme/platform' },
    object_attributes: { iid, title: issue.title, state, action, type: 'Issue', created_at: issue.created_at.replace('T', ' ').replace('.000Z', ' UTC'), updated_at: updatedAt, closed_at: closedAt },
    labels: labels.map((title) => ({ title })), assignees: [], changes,
  };
}
const L = (names: string[]) => names.map((title) => ({ title }));
const WEBHOOKS = [
  hookBody(1, 'open', 'opened', ['workflow::Backlog'], T(2)),
  hookBody(1, 'update', 'opened', ['workflow::In dev'], T(3, 10), { labels: { previous: L(['workflow::Backlog']), current: L(['workflow::In dev']) } }),
  hookBody(1, 'update', 'opened', ['workflow::In review'], T(4, 11), { labels: { previous: L(['workflow::In dev']), current: L(['workflow::In review']) } }),
  hookBody(1, 'close', 'closed', ['workflow::In review'], T(5, 12), {}, T(5, 12)),
  hookBody(2, 'open', 'opened', ['bug'], T(2)),
  hookBody(2, 'close', 'closed', ['bug'], T(6), { state_id: { previous: 1, current: 2 } }, T(6)),
  hookBody(2, 'reopen', 'opened', ['bug'], T(7), { state_id: { previous: 2, current: 1 } }),
  hookBody(3, 'open', 'opened', [], T(3)),
];

for (const dialect of testDialects()) {
  describe(`gitlab backfill (${dialect})`, () => {
    let store: Store;
    let streamId: number;
    beforeEach(async () => {
      store = await openTestStore(dialect);
      streamId = await saveStream(store.db, MAP);
    });
    afterEach(async () => store.close());

    it('pages, a 429 with Retry-After and an exhausted RateLimit waited out; the history equals the Issue Hook deliveries', async () => {
      const api = await startFakeApi(gitlabApi({ throttlePage2: true, exhaustOnce: true }));
      const waits: { reason: string; ms: number }[] = [];
      const slept: number[] = [];
      const progress: [number, number | null][] = [];
      try {
        const result = await backfillGitlab({
          db: store.db, streamId, project: 'acme/platform', token: 'glpat-test', apiUrl: `${api.url}/api/v4`, pageSize: 2,
          onWait: (s, reason) => waits.push({ reason, ms: s }), sleep: async (ms) => { slept.push(ms); }, onProgress: (d, t) => progress.push([d, t]),
        });
        expect(result).toMatchObject({ pages: 2, items: 3, resumed: false, skipped: [] });
      } finally {
        await api.close();
      }
      expect(waits.map((w) => w.reason)).toEqual([expect.stringContaining('exhausted'), expect.stringContaining('429')]);
      expect(slept[1]).toBe(7000); // Retry-After: 7
      expect(slept[0]).toBeGreaterThan(0);
      expect(progress.at(-1)).toEqual([3, 3]);

      const one = await getWorkItem(store.db, streamId, 'acme/platform#1');
      expect(one?.transitions).toEqual([
        { from: null, to: 'Backlog', at: Date.parse(T(2)) },
        { from: 'Backlog', to: 'In dev', at: Date.parse(T(3, 10)) },
        { from: 'In dev', to: 'In review', at: Date.parse(T(4, 11)) },
        { from: 'In review', to: 'closed', at: Date.parse(T(5, 12)) },
      ]);
      expect(one?.closedAt).toBe(Date.parse(T(5, 12)));
      expect((await getWorkItem(store.db, streamId, 'acme/platform#2'))?.type).toBe('defect');

      const hooked = await saveStream(store.db, { ...MAP, name: 'hooked' });
      await applyWebhooks(store, hooked, 'gitlab', WEBHOOKS.map((body) => ({ body, headers: { 'x-gitlab-event': 'Issue Hook' } })));
      for (const key of ['acme/platform#1', 'acme/platform#2', 'acme/platform#3']) {
        const fromBackfill = await getWorkItem(store.db, streamId, key);
        const fromHooks = await getWorkItem(store.db, hooked, key);
        expect(fromBackfill?.transitions, key).toEqual(fromHooks?.transitions);
        expect(fromBackfill?.type, key).toBe(fromHooks?.type);
        // labels set and cleared: resource_label_events give what the hooks' changes.labels give
        const flags = (item: typeof fromBackfill) => (item?.flags ?? []).map((f) => `${f.at} ${f.flag} ${f.on}`).sort();
        expect(flags(fromBackfill), key).toEqual(flags(fromHooks));
      }
      expect((await getWorkItem(store.db, streamId, 'acme/platform#2'))?.flags).toEqual([{ flag: 'label:bug', on: true, at: Date.parse(T(2)) }]);
    });

    it('an interrupted run continues from its cursor: the stored page is not fetched again', async () => {
      const behaviour = { failPage2: true };
      const api = await startFakeApi(gitlabApi(behaviour));
      const run = () => backfillGitlab({ db: store.db, streamId, project: 'acme/platform', token: 'glpat-test', apiUrl: `${api.url}/api/v4`, pageSize: 2, sleep: async () => {} });
      try {
        await expect(run()).rejects.toThrow(/500/);
        expect(await getWorkItem(store.db, streamId, 'acme/platform#1')).not.toBeNull();
        expect(await getWorkItem(store.db, streamId, 'acme/platform#3')).toBeNull();
        behaviour.failPage2 = false;
        api.requests.length = 0;
        expect(await run()).toMatchObject({ resumed: true, pages: 1, items: 1 });
        expect(api.requests.filter((r) => r.path.endsWith('/issues')).map((r) => r.query.get('page'))).toEqual(['2']);
        expect((await getWorkItem(store.db, streamId, 'acme/platform#3'))?.transitions).toEqual([{ from: null, to: 'opened', at: Date.parse(T(3)) }]);
      } finally {
        await api.close();
      }
    });

    it('a wrong project or a refused token stops before anything is stored, naming the fix', async () => {
      const api = await startFakeApi(gitlabApi());
      try {
        await expect(backfillGitlab({ db: store.db, streamId, project: 'acme/platfrom', token: 'glpat-test', apiUrl: `${api.url}/api/v4` }))
          .rejects.toThrow(/no project "acme\/platfrom".*full path/);
        await expect(backfillGitlab({ db: store.db, streamId, project: 'acme/platform', token: 'wrong', tokenVariable: 'GITLAB_TOKEN', apiUrl: `${api.url}/api/v4` }))
          .rejects.toThrow(/refused the token in GITLAB_TOKEN \(401\): set GITLAB_TOKEN to .*read_api/);
        expect(api.requests.filter((r) => r.path.endsWith('/issues'))).toHaveLength(0);
      } finally {
        await api.close();
      }
    });
  });
}

describe('flow-nudge backfill gitlab (CLI)', () => {
  let dir: string;
  let apiUrl = '';
  const write = () =>
    writeFileSync(join(dir, 'flow-nudge.yaml'), `streams:\n  - name: platform\n    map: { timeZone: UTC, stages: [{ name: Done, kind: done, statuses: [closed] }] }\n    sources: [{ vendor: gitlab, project: acme/platform, secretEnv: GL_HOOK, tokenEnv: GL_READ_TOKEN, apiUrl: "${apiUrl}" }]\n`);
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'flow-nudge-gitlab-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const cli = runBackfillCli;

  it('project, API root and token variable come from the stream\'s gitlab source; a missing token names its variable', async () => {
    const api = await startFakeApi(gitlabApi());
    apiUrl = `${api.url}/api/v4`;
    write();
    const env = { DATABASE_URL: `file:${join(dir, 'db.sqlite')}`, FLOW_NUDGE_CONFIG: join(dir, 'flow-nudge.yaml') };
    try {
      const missing = await cli(['backfill', 'gitlab', '--stream', 'platform'], env);
      expect(missing.error?.message).toMatch(/GL_READ_TOKEN is not set \(named by tokenEnv in flow-nudge.yaml\): .*read_api/);
      const run = await cli(['backfill', 'gitlab', '--stream', 'platform'], { ...env, GL_READ_TOKEN: 'glpat-test' });
      expect(run.error).toBeNull();
      expect(run.out).toContain('gitlab backfill of platform: 3 items, 8 new transitions');
      const refused = await cli(['backfill', 'gitlab', '--stream', 'platform', '--restart'], { ...env, GL_READ_TOKEN: 'glpat-revoked' });
      expect(refused.error?.message).toMatch(/refused the token in GL_READ_TOKEN \(401\)/);
      const bad = await cli(['backfill', 'gitlab', '--stream', 'platform', '--project', 'acme'], { ...env, GL_READ_TOKEN: 'glpat-test' });
      expect(bad.error?.message).toContain('is not a full path');
    } finally {
      await api.close();
    }
    const store = await openSqliteStore(join(dir, 'db.sqlite'));
    try {
      const stream = await getStream(store.db, 'platform');
      expect((await getWorkItem(store.db, stream!.id, 'acme/platform#2'))?.transitions.map((t) => t.to)).toEqual(['opened', 'closed', 'opened']);
    } finally {
      await store.close();
    }
  });
});
