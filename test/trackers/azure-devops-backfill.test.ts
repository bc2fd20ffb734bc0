/**
 * Azure DevOps backfill against a local server shaped like the REST 7.1 API
 * (WIQL, workitems?ids=, workItems/{id}/updates with x-ms-continuationtoken,
 * a 429 with Retry-After, 203 sign-in page for a bad PAT); the stored history
 * equals the same items' service hook events; and `flow-nudge backfill azure-devops`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/database.ts';
import { saveStream } from '../../src/store/value-streams.ts';
import { getWorkItem } from '../../src/store/work-items.ts';
import { backfillAzureDevops } from '../../src/trackers/azure-devops/backfill.ts';
import { openTestStore, testDialects } from '../support/databases.ts';
import { applyWebhooks } from './support/apply-webhooks.ts';
import { runBackfillCli } from './support/backfill-cli.ts';
import { startFakeApi, type FakeHandler, type FakeRequest } from './support/fake-api.ts';

const MAP = { name: 'platform', timeZone: 'UTC', stages: [{ name: 'Doing', kind: 'touch' as const, statuses: ['Active', 'Resolved'] }, { name: 'Done', kind: 'done' as const, statuses: ['Closed'] }] };
const T = (day: number, hour = 9) => new Date(Date.UTC(2026, 4, day, hour)).toISOString();
const PAT = 'pat-test';
const identity = { displayName: 'PM One', uniqueName: 'pm@example.com', id: 'b1c2' };

const ITEMS: Record<number, { fields: Record<string, unknown>; updates: object[] }> = {
  101: {
    fields: { 'System.Id': 101, 'System.WorkItemType': 'Bug', 'System.Title': 'Login fails', 'System.State': 'Closed', 'System.CreatedDate': T(1), 'System.TeamProject': 'Platform' },
    updates: [
      { id: 1, workItemId: 101, rev: 1, revisedDate: T(2), fields: { 'System.State': { newValue: 'New' }, 'System.ChangedDate': { newValue: T(1) } } },
      { id: 2, workItemId: 101, rev: 2, revisedDate: T(3), fields: { 'System.State': { oldValue: 'New', newValue: 'Active' }, 'Microsoft.VSTS.Common.StateChangeDate': { oldValue: T(1), newValue: T(2) }, 'System.ChangedDate': { oldValue: T(1), newValue: T(2) } } },
      { id: 3, workItemId: 101, rev: 3, revisedDate: T(4), fields: { 'System.Title': { oldValue: 'Login', newValue: 'Login fails' }, 'System.ChangedDate': { newValue: T(3) } } },
      { id: 4, workItemId: 101, rev: 4, revisedDate: T(5), fields: { 'System.State': { oldValue: 'Active', newValue: 'Resolved' }, 'Microsoft.VSTS.Common.StateChangeDate': { newValue: T(4) }, 'System.ChangedDate': { newValue: T(4) } } },
      { id: 5, workItemId: 101, rev: 5, revisedDate: '9999-01-01T00:00:00Z', fields: { 'System.State': { oldValue: 'Resolved', newValue: 'Closed' }, 'Microsoft.VSTS.Common.StateChangeDate': { newValue: T(5) }, 'System.ChangedDate': { newValue: T(5) } } },
    ],
  },
  102: {
    fields: { 'System.Id': 102, 'System.WorkItemType': 'User Story', 'System.Title': 'Export CSV', 'System.State': 'Active', 'System.CreatedDate': T(2), 'System.Parent': 103, 'System.TeamProject': 'Platform' },
    updates: [
      { id: 1, workItemId: 102, rev: 1, fields: { 'System.State': { newValue: 'New' }, 'System.ChangedDate': { newValue: T(2) } } },
      { id: 2, workItemId: 102, rev: 2, fields: { 'System.State': { oldValue: 'New', newValue: 'Active' }, 'Microsoft.VSTS.Common.StateChangeDate': { newValue: T(6) } } },
    ],
  },
  103: {
    fields: { 'System.Id': 103, 'System.WorkItemType': 'Epic', 'System.Title': 'Reporting', 'System.State': 'New', 'System.CreatedDate': T(1, 8), 'System.AssignedTo': identity, 'System.TeamProject': 'Platform' },
    updates: [{ id: 1, workItemId: 103, rev: 1, fields: { 'System.State': { newValue: 'New' }, 'System.ChangedDate': { newValue: T(1, 8) } } }],
  },
};
const IDS = [101, 102, 103];

function azureApi(behaviour: { throttleOnce?: boolean; failSecondPage?: boolean } = {}): FakeHandler {
  return (req: FakeRequest) => {
    if (req.headers.authorization !== `Basic ${Buffer.from(`:${PAT}`).toString('base64')}`) return { status: 203, headers: { 'content-type': 'text/html; charset=utf-8' }, raw: '<html><head><title>Azure DevOps Services | Sign In</title></head></html>' };
    if (req.path === '/acme/_apis/projects/Platform') return { body: { id: 'p-1', name: 'Platform', state: 'wellFormed' } };
    if (req.path.startsWith('/acme/_apis/projects/')) return { status: 404, body: { $id: '1', message: 'TF200016: The following project does not exist', typeKey: 'ProjectDoesNotExistWithNameException' } };
    if (req.method === 'POST' && req.path === '/acme/Platform/_apis/wit/wiql') {
      expect(req.query.get('api-version')).toBe('7.1');
      const after = Number(/\[System\.Id\] > (\d+)/.exec(JSON.parse(req.body).query)![1]);
      if (after > 0 && behaviour.failSecondPage) return { status: 400, body: { message: 'VS402337: query too complex' } };
      if (after > 0 && behaviour.throttleOnce) {
        behaviour.throttleOnce = false;
        return { status: 429, headers: { 'retry-after': '3', 'x-ratelimit-resource': 'ATCPU', 'x-ratelimit-remaining': '0' }, body: { message: 'Request was blocked due to exceeding usage of resource' } };
      }
      const ids = IDS.filter((id) => id > after).slice(0, Number(req.query.get('$top')));
      return { body: { queryType: 'flat', queryResultType: 'workItem', asOf: T(20), columns: [{ referenceName: 'System.Id', name: 'ID' }], workItems: ids.map((id) => ({ id, url: `https://dev.azure.com/acme/_apis/wit/workItems/${id}` })) } };
    }
    if (req.path === '/acme/Platform/_apis/wit/workitems') {
      const ids = req.query.get('ids')!.split(',').map(Number);
      return { body: { count: ids.length, value: ids.map((id) => ({ id, rev: ITEMS[id].updates.length, fields: ITEMS[id].fields, url: `https://dev.azure.com/acme/_apis/wit/workItems/${id}` })) } };
    }
    const m = /^\/acme\/Platform\/_apis\/wit\/workItems\/(\d+)\/updates$/.exec(req.path);
    if (m) {
      const all = ITEMS[Number(m[1])].updates;
      // 101's updates come in two batches joined by a continuation token
      if (Number(m[1]) === 101 && !req.query.get('continuationToken')) return { headers: { 'x-ms-continuationtoken': 'rev:3' }, body: { count: 3, value: all.slice(0, 3) } };
      if (req.query.get('continuationToken') === 'rev:3') return { body: { count: 2, value: all.slice(3) } };
      return { body: { count: all.length, value: all } };
    }
    return { status: 404, body: { message: 'not found' } };
  };
}

/** The same items as service hook events ("Resource details to send: All"). */
function hookEvents() {
  const out: object[] = [];
  for (const id of IDS) {
    const item = ITEMS[id];
    out.push({ id: `c-${id}`, eventType: 'workitem.created', publisherId: 'tfs', resource: { id, rev: 1, fields: { ...item.fields, 'System.State': 'New' } } });
    for (const u of item.updates as { rev: number; fields: Record<string, { oldValue?: unknown; newValue?: unknown }> }[]) {
      if (!u.fields['System.State']?.oldValue) continue;
      out.push({ id: `u-${id}-${u.rev}`, eventType: 'workitem.updated', publisherId: 'tfs', resource: { id: u.rev, workItemId: id, rev: u.rev, fields: u.fields, revision: { id, rev: u.rev, fields: item.fields } } });
    }
  }
  return out;
}

const fast = { sleep: async () => {} };

for (const dialect of testDialects()) {
  describe(`azure devops backfill (${dialect})`, () => {
    let store: Store;
    let streamId: number;
    beforeEach(async () => {
      store = await openTestStore(dialect);
      streamId = await saveStream(store.db, MAP);
    });
    afterEach(async () => store.close());

    it('WIQL pages, updates joined by x-ms-continuationtoken, a 429 with Retry-After; same history as the service hooks', async () => {
      const api = await startFakeApi(azureApi({ throttleOnce: true }));
      const slept: number[] = [];
      try {
        const result = await backfillAzureDevops({ db: store.db, streamId, organizationUrl: `${api.url}/acme`, project: 'Platform', token: PAT, pageSize: 2, sleep: async (ms) => { slept.push(ms); } });
        expect(result).toMatchObject({ pages: 2, items: 3, resumed: false, skipped: [] });
      } finally {
        await api.close();
      }
      expect(slept).toEqual([3000]);
      const bug = await getWorkItem(store.db, streamId, '101');
      expect(bug?.transitions.map((t) => `${t.from ?? '∅'}→${t.to}`)).toEqual(['∅→New', 'New→Active', 'Active→Resolved', 'Resolved→Closed']);
      expect(bug).toMatchObject({ type: 'defect', closedAt: Date.parse(T(5)) });
      expect(await getWorkItem(store.db, streamId, '102')).toMatchObject({ parentKey: '103', closedAt: null });
      expect(await getWorkItem(store.db, streamId, '103')).toMatchObject({ isEpic: true, outcomeOwner: 'pm@example.com' });

      const hooked = await saveStream(store.db, { ...MAP, name: 'hooked' });
      await applyWebhooks(store, hooked, 'azure-devops', hookEvents().map((body) => ({ body })));
      for (const key of ['101', '102', '103']) {
        const a = await getWorkItem(store.db, streamId, key);
        const b = await getWorkItem(store.db, hooked, key);
        expect(a?.transitions, key).toEqual(b?.transitions);
        expect([a?.type, a?.parentKey, a?.isEpic, a?.closedAt], key).toEqual([b?.type, b?.parentKey, b?.isEpic, b?.closedAt]);
      }
    });

    it('an interrupted run continues after the last stored work item id', async () => {
      const behaviour = { failSecondPage: true };
      const api = await startFakeApi(azureApi(behaviour));
      const run = () => backfillAzureDevops({ db: store.db, streamId, organizationUrl: `${api.url}/acme`, project: 'Platform', token: PAT, pageSize: 2, ...fast });
      try {
        await expect(run()).rejects.toThrow(/VS402337/);
        expect(await getWorkItem(store.db, streamId, '102')).not.toBeNull();
        behaviour.failSecondPage = false;
        api.requests.length = 0;
        expect(await run()).toMatchObject({ resumed: true, pages: 1, items: 1 });
        const wiql = api.requests.filter((r) => r.path.endsWith('/wiql')).map((r) => JSON.parse(r.body).query);
        expect(wiql).toEqual([expect.stringContaining('[System.Id] > 102')]);
      } finally {
        await api.close();
      }
    });

    it('a wrong project or a refused PAT stops before anything is stored, naming the fix', async () => {
      const api = await startFakeApi(azureApi());
      try {
        await expect(backfillAzureDevops({ db: store.db, streamId, organizationUrl: `${api.url}/acme`, project: 'Platfrom', token: PAT, ...fast })).rejects.toThrow(/no project "Platfrom".*dev\.azure\.com\/ORG\/PROJECT/);
        await expect(backfillAzureDevops({ db: store.db, streamId, organizationUrl: `${api.url}/acme`, project: 'Platform', token: 'expired', tokenVariable: 'AZ_PAT', ...fast })).rejects.toThrow(/refused the personal access token in AZ_PAT \(203\): set AZ_PAT to .*Work Items \(Read\)/);
        expect(api.requests.filter((r) => r.path.endsWith('/wiql'))).toHaveLength(0);
      } finally {
        await api.close();
      }
    });
  });
}

describe('flow-nudge backfill azure-devops (CLI)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'flow-nudge-azure-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('project and organization URL from the stream\'s source; the token variable named when missing', async () => {
    const api = await startFakeApi(azureApi());
    writeFileSync(join(dir, 'flow-nudge.yaml'), `streams:\n  - name: platform\n    map: { timeZone: UTC, stages: [{ name: Done, kind: done, statuses: [Closed] }] }\n    sources: [{ vendor: azure-devops, organization: acme, project: Platform, secretEnv: AZ_HOOK, tokenEnv: AZ_PAT, apiUrl: "${api.url}/acme" }]\n`);
    const env = { DATABASE_URL: `file:${join(dir, 'db.sqlite')}`, FLOW_NUDGE_CONFIG: join(dir, 'flow-nudge.yaml') };
    const cli = (args: string[], extra: Record<string, string> = {}) => runBackfillCli(args, { ...env, ...extra });
    try {
      expect((await cli(['backfill', 'azure-devops', '--stream', 'platform'])).error?.message).toMatch(/AZ_PAT is not set \(named by tokenEnv in flow-nudge.yaml\).*Work Items \(Read\)/);
      const run = await cli(['backfill', 'azure-devops', '--stream', 'platform'], { AZ_PAT: PAT });
      expect(run.error).toBeNull();
      expect(run.out).toContain('azure-devops backfill of platform: 3 items, 7 new transitions, 1 pages');
    } finally {
      await api.close();
    }
  });
});
