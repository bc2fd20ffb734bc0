/**
 * GitHub backfill against a local server shaped like the GitHub REST API:
 * Link-header pages, a 429 with Retry-After, X-RateLimit-Remaining: 0; and
 * the `flow-nudge backfill github` command end to end.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerBackfillCommand } from '../../src/cli/commands/backfill.ts';
import { createCliContext } from '../../src/cli/context.ts';
import { openSqliteStore, type Store } from '../../src/store/database.ts';
import { getStream, saveStream } from '../../src/store/value-streams.ts';
import { getWorkItem } from '../../src/store/work-items.ts';
import { backfillGithub } from '../../src/trackers/github/backfill.ts';
import { openTestStore, testDialects } from '../support/databases.ts';
import { startFakeApi, type FakeHandler, type FakeRequest } from './support/fake-api.ts';

const MAP = { name: 'web', timeZone: 'UTC', stages: [{ name: 'Done', kind: 'done' as const, statuses: ['closed'] }] };
const ghIssue = (n: number, extra: Record<string, unknown> = {}) => ({
  number: n, node_id: `I_${n}`, title: `Issue ${n}`, state: 'open', created_at: `2026-02-0${n}T10:00:00Z`, updated_at: `2026-02-0${n}T10:00:00Z`,
  closed_at: null, labels: [], user: { login: 'someone' }, assignees: [], ...extra,
});

function githubApi(behaviour: { throttle: boolean; limitOnce: boolean; failEventsPage2?: boolean }): FakeHandler {
  return (req: FakeRequest, base: string) => {
    if (behaviour.failEventsPage2 && req.path === '/repos/acme/web/issues/events' && req.query.get('page') === '2') return { status: 422, body: { message: 'Pagination is limited' } };
    if (req.headers.authorization !== 'Bearer gh-token') return { status: 401, body: { message: 'Bad credentials' } };
    if (req.path === '/repos/acme/web/issues') {
      if (req.query.get('page') === '2') {
        if (behaviour.throttle) {
          behaviour.throttle = false;
          return { status: 429, headers: { 'retry-after': '1' }, body: { message: 'secondary rate limit' } };
        }
        return { body: [ghIssue(3, { state: 'closed', closed_at: '2026-02-05T12:00:00Z', labels: [{ name: 'bug' }] })] };
      }
      return {
        headers: { link: `<${base}/repos/acme/web/issues?state=all&per_page=100&page=2>; rel="next", <${base}/repos/acme/web/issues?page=2>; rel="last"` },
        body: [ghIssue(1), ghIssue(2, { pull_request: { url: 'x' } })],
      };
    }
    if (req.path === '/repos/acme/web/issues/events') {
      const headers: Record<string, string> = {};
      if (behaviour.limitOnce) {
        behaviour.limitOnce = false;
        headers['x-ratelimit-remaining'] = '0';
        headers['x-ratelimit-reset'] = String(Math.ceil(Date.now() / 1000) + 1);
      }
      if (req.query.get('page') === '2') return { headers, body: [{ event: 'closed', created_at: '2026-02-05T12:00:01Z', issue: ghIssue(3, { state: 'closed' }) }] };
      return {
        headers: { ...headers, link: `<${base}/repos/acme/web/issues/events?per_page=100&page=2>; rel="next"` },
        body: [
          { event: 'reopened', created_at: '2026-02-04T09:00:00Z', issue: ghIssue(3) },
          { event: 'closed', created_at: '2026-02-03T15:00:00Z', issue: ghIssue(3) },
          { event: 'labeled', created_at: '2026-02-03T11:00:00Z', label: { name: 'blocked' }, issue: ghIssue(1) },
          { event: 'unlabeled', created_at: '2026-02-03T14:00:00Z', label: { name: 'blocked' }, issue: ghIssue(1) },
          { event: 'closed', created_at: '2026-02-03T11:00:00Z', issue: ghIssue(2, { pull_request: {} }) },
        ],
      };
    }
    return { status: 404, body: { message: 'Not Found' } };
  };
}

for (const dialect of testDialects()) {
  describe(`github backfill (${dialect})`, () => {
    let store: Store;
    let streamId: number;
    beforeEach(async () => {
      store = await openTestStore(dialect);
      streamId = await saveStream(store.db, MAP);
    });
    afterEach(async () => store.close());

    it('issues and their close/reopen events, Link pages, a 429 and an exhausted rate limit waited out', async () => {
      const api = await startFakeApi(githubApi({ throttle: true, limitOnce: true }));
      const waits: string[] = [];
      const started = Date.now();
      try {
        const result = await backfillGithub({ db: store.db, streamId, repo: 'acme/web', token: 'gh-token', apiUrl: api.url, onWait: (_s, reason) => waits.push(reason) });
        expect(result).toMatchObject({ pages: 4, items: 2, resumed: false });
      } finally {
        await api.close();
      }
      expect(waits).toEqual([expect.stringContaining('429'), expect.stringContaining('X-RateLimit-Remaining')]);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
      expect(await getWorkItem(store.db, streamId, 'acme/web#2')).toBeNull(); // a pull request
      const one = await getWorkItem(store.db, streamId, 'acme/web#1');
      expect(one?.transitions).toEqual([{ from: null, to: 'open', at: Date.parse('2026-02-01T10:00:00Z') }]);
      // labeled / unlabeled events: the label set and cleared
      expect(one?.flags).toEqual([{ flag: 'label:blocked', on: true, at: Date.parse('2026-02-03T11:00:00Z') }, { flag: 'label:blocked', on: false, at: Date.parse('2026-02-03T14:00:00Z') }]);
      const three = await getWorkItem(store.db, streamId, 'acme/web#3');
      expect(three?.type).toBe('defect');
      expect(three?.transitions).toEqual([
        { from: null, to: 'open', at: Date.parse('2026-02-03T10:00:00Z') },
        { from: 'open', to: 'closed', at: Date.parse('2026-02-03T15:00:00Z') },
        { from: 'closed', to: 'open', at: Date.parse('2026-02-04T09:00:00Z') },
        { from: 'open', to: 'closed', at: Date.parse('2026-02-05T12:00:01Z') },
      ]);
    });

    it('a second run continues at the page where the first stopped', async () => {
      const behaviour = { throttle: false, limitOnce: false, failEventsPage2: true };
      const api = await startFakeApi(githubApi(behaviour));
      const run = () => backfillGithub({ db: store.db, streamId, repo: 'acme/web', token: 'gh-token', apiUrl: api.url });
      try {
        await expect(run()).rejects.toThrow(/422/);
        expect((await getWorkItem(store.db, streamId, 'acme/web#3'))?.transitions).toHaveLength(3);
        behaviour.failEventsPage2 = false;
        api.requests.length = 0;
        expect(await run()).toMatchObject({ resumed: true, pages: 1 });
        expect(api.requests.map((r) => `${r.path}?page=${r.query.get('page')}`)).toEqual(['/repos/acme/web/issues/events?page=2']);
        expect((await getWorkItem(store.db, streamId, 'acme/web#3'))?.transitions).toHaveLength(4);
      } finally {
        await api.close();
      }
    });
  });
}

describe('flow-nudge backfill github (CLI)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'flow-nudge-backfill-cli-'));
    writeFileSync(join(dir, 'flow-nudge.yaml'), `streams:\n  - name: web\n    map: { timeZone: UTC, stages: [{ name: Done, kind: done, statuses: [closed] }] }\n    sources: [{ vendor: github, repo: acme/web, secretEnv: GH_HOOK_SECRET, typeMap: { bug: risk } }]\n`);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function cli(args: string[], env: NodeJS.ProcessEnv) {
    const out: string[] = [];
    const err: string[] = [];
    const ctx = createCliContext({ env, stdout: (t) => out.push(t), stderr: (t) => err.push(t), isTTY: false });
    const program = new Command('flow-nudge').exitOverride();
    registerBackfillCommand(program, ctx);
    let error: unknown = null;
    try {
      await program.parseAsync(args, { from: 'user' });
    } catch (e) {
      error = e;
    }
    return { out: out.join('\n'), err: err.join('\n'), error: error as Error | null };
  }

  it('fills the stream named in flow-nudge.yaml with its type map; a second run continues or starts over', async () => {
    const api = await startFakeApi(githubApi({ throttle: false, limitOnce: false }));
    const env = { DATABASE_URL: `file:${join(dir, 'db.sqlite')}`, FLOW_NUDGE_CONFIG: join(dir, 'flow-nudge.yaml'), GITHUB_TOKEN: 'gh-token' };
    try {
      const run = await cli(['backfill', 'github', '--stream', 'web', '--repo', 'acme/web', '--api-url', api.url], env);
      expect(run.error).toBeNull();
      expect(run.out).toContain('github backfill of web: 2 items, 5 new transitions, 4 pages');
      const json = await cli(['backfill', 'github', '--stream', 'web', '--repo', 'acme/web', '--api-url', api.url, '--json'], env);
      expect(JSON.parse(json.out)).toMatchObject({ transitionsAdded: 0, resumed: false });
    } finally {
      await api.close();
    }
    const store = await openSqliteStore(join(dir, 'db.sqlite'));
    try {
      const stream = await getStream(store.db, 'web');
      expect((await getWorkItem(store.db, stream!.id, 'acme/web#3'))?.type).toBe('risk'); // typeMap bug → risk
    } finally {
      await store.close();
    }
  });

  it('names the missing token and a bad repo', async () => {
    const env = { DATABASE_URL: `file:${join(dir, 'db.sqlite')}`, FLOW_NUDGE_CONFIG: join(dir, 'flow-nudge.yaml') };
    expect((await cli(['backfill', 'github', '--stream', 'web', '--repo', 'acme/web'], env)).error?.message).toContain('GITHUB_TOKEN is not set');
    expect((await cli(['backfill', 'github', '--stream', 'web', '--repo', 'acme'], { ...env, GITHUB_TOKEN: 'x' })).error?.message).toContain('is not OWNER/NAME');
    expect((await cli(['backfill', 'jira', '--stream', 'web', '--site', 'https://x.atlassian.net', '--jql', 'project = X'], env)).error?.message).toContain('JIRA_EMAIL and JIRA_API_TOKEN are not set');
  });
});
