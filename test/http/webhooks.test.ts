/**
 * The running server, over real HTTP on 127.0.0.1, with the real fixture
 * payloads signed the way each vendor signs them; checked in the database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/database.ts';
import { getWorkItem } from '../../src/store/work-items.ts';
import { getStream } from '../../src/store/value-streams.ts';
import { openTestStore, testDialects } from '../support/databases.ts';
import { readFixture, vendorHeaders, withAzureId, withLinearTimestamp } from '../trackers/support/vendor-requests.ts';
import { dbSnapshot } from './support/db-snapshot.ts';
import { SECRETS, SECRET_OF, startTestServer, type TestServer } from './support/test-server.ts';

for (const dialect of testDialects()) {
  describe(`webhooks over HTTP (${dialect})`, () => {
    let store: Store;
    let server: TestServer;
    let web: number;
    let ru: number;

    beforeAll(async () => {
      store = await openTestStore(dialect);
      server = await startTestServer(store);
      web = (await getStream(store.db, 'web'))!.id;
      ru = (await getStream(store.db, 'ru'))!.id;
    });
    afterAll(async () => {
      await server?.close();
      await store?.close();
    });

    async function send(vendor: Parameters<typeof vendorHeaders>[0], body: string, extra: Parameters<typeof vendorHeaders>[3] = {}) {
      return server.post(vendor, body, vendorHeaders(vendor, SECRET_OF[vendor], body, extra));
    }
    const transitionsOf = async (streamId: number, key: string) =>
      (await getWorkItem(store.db, streamId, key))?.transitions.map((t) => [t.from, t.to, t.at]);

    it('GET /healthz answers', async () => {
      const res = await fetch(`${server.url}/healthz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ ok: true, database: dialect, streams: ['web', 'ru'] });
    });

    it('jira: created then moved to In Progress; the epic of another project goes to its own stream with its owner', async () => {
      expect((await send('jira', readFixture('jira', 'issue_created.json'))).status).toBe(202);
      expect((await send('jira', readFixture('jira', 'issue_updated_status.json'))).status).toBe(202);
      const epic = readFixture('jira', 'epic_created.json');
      expect((await server.post('jira', epic, vendorHeaders('jira', SECRETS.JIRA_RU_SECRET, epic))).status).toBe(202);
      await server.processor.idle();
      const created = Date.parse('2019-02-15T19:01:52.971-08:00');
      expect(await transitionsOf(web, 'TES-41')).toEqual([[null, 'To Do', created], ['To Do', 'In Progress', 1550286862039]]);
      const stored = await getWorkItem(store.db, ru, 'DTP-1');
      expect(stored).toMatchObject({ isEpic: true, title: 'Тестовый эпик', outcomeOwner: '5b912f5c8a96e82b9549361c' });
      expect(await getWorkItem(store.db, web, 'DTP-1')).toBeNull();
      expect(server.transitions).toContainEqual({ stream: 'web', keys: ['TES-41'] });
    });

    it('jira: the epic signed with the other stream\'s secret is refused with 404, nothing stored', async () => {
      const before = await dbSnapshot(store);
      const epic = readFixture('jira', 'epic_created.json');
      const res = await server.post('jira', epic, vendorHeaders('jira', SECRETS.JIRA_SECRET, epic));
      expect(res.status).toBe(404);
      expect(res.json.error).toContain('project DTP');
      expect(await dbSnapshot(store)).toEqual(before);
    });

    it('github: opened, closed, reopened; labeled changes no status but its label is kept', async () => {
      for (const name of ['issues_opened.json', 'issues_closed.json', 'issues_reopened.json']) {
        expect((await send('github', readFixture('github', name))).status).toBe(202);
      }
      expect((await send('github', readFixture('github', 'issues_labeled.json'))).status).toBe(202);
      await server.processor.idle();
      // opened with the label bug, labeled bug at the same instant: one row
      expect((await getWorkItem(store.db, web, 'Codertocat/Hello-World#1'))?.flags).toEqual([{ flag: 'label:bug', on: true, at: Date.parse('2019-05-15T15:20:18Z') }]);
      expect(await transitionsOf(web, 'Codertocat/Hello-World#1')).toEqual([
        [null, 'open', Date.parse('2019-05-15T15:20:18Z')],
        ['closed', 'open', Date.parse('2021-10-11T16:40:56Z')],
      ]);
      const closed = await getWorkItem(store.db, web, 'example-user/test-repo#8');
      expect(closed?.transitions).toEqual([{ from: 'open', to: 'closed', at: Date.parse('2026-01-31T08:11:37Z') }]);
      expect(closed?.closedAt).toBe(Date.parse('2026-01-31T08:11:37Z'));
    });

    it('github: a Projects v2 Status change lands on the issue it belongs to', async () => {
      const body = JSON.parse(readFixture('github', 'projects_v2_item_edited_single_select.json'));
      body.projects_v2_item.content_node_id = 'MDU6SXNzdWU0NDQ1MDAwNDE='; // the node id of Codertocat/Hello-World#1
      body.projects_v2_item.updated_at = '2021-10-12T09:00:00Z';
      body.changes.field_value = { ...body.changes.field_value, field_name: 'Status', from: { name: 'Todo' }, to: { name: 'In Progress' } };
      const text = JSON.stringify(body, null, 2);
      expect((await send('github', text, { githubEvent: 'projects_v2_item' })).status).toBe(202);
      await server.processor.idle();
      expect((await transitionsOf(web, 'Codertocat/Hello-World#1'))?.at(-1)).toEqual(['Todo', 'In Progress', Date.parse('2021-10-12T09:00:00Z')]);
    });

    it('gitlab: closed, and reopened', async () => {
      expect((await send('gitlab', readFixture('gitlab', 'issue_closed.json'))).status).toBe(202);
      expect((await send('gitlab', readFixture('gitlab', 'issue_reopened_state_labels.json'))).status).toBe(202);
      await server.processor.idle();
      expect(await transitionsOf(web, 'indev/gitlabtomatrix#41')).toEqual([['opened', 'closed', Date.parse('2020-06-29T14:27:15Z')]]);
      expect(await transitionsOf(web, 'indev/gitlabtomatrix#26')).toEqual([['closed', 'opened', Date.parse('2020-06-30T15:37:22Z')]]);
    });

    it('linear: a title-only update is ignored (200, nothing stored); a state change is stored; an old timestamp is 401', async () => {
      const fresh = withLinearTimestamp(readFixture('linear', 'issue_update.json'), Date.now());
      const before = await dbSnapshot(store);
      expect(await send('linear', fresh)).toMatchObject({ status: 200, json: { ignored: expect.stringContaining('no status change') } });
      expect(await dbSnapshot(store)).toEqual(before);
      const moved = JSON.parse(fresh);
      moved.updatedFrom.stateId = 'old-state';
      expect((await send('linear', JSON.stringify(moved))).status).toBe(202);
      await server.processor.idle();
      expect(await transitionsOf(web, 'WEB-44')).toEqual([[null, 'In Progress', Date.parse('2023-04-11T10:16:53.022Z')]]);
      const beforeOld = await dbSnapshot(store);
      const old = JSON.stringify(moved).replace(/"webhookTimestamp":\d+/, '"webhookTimestamp":1681208213456'); // from 2023
      const res = await send('linear', old);
      expect(res.status).toBe(401);
      expect(res.json.error).toContain('webhookTimestamp');
      expect(await dbSnapshot(store)).toEqual(beforeOld);
    });

    it('azure devops: created, then New → Approved', async () => {
      expect((await send('azure-devops', readFixture('azure-devops', 'workitem_created.json'))).status).toBe(202);
      expect((await send('azure-devops', readFixture('azure-devops', 'workitem_updated_state.json'))).status).toBe(202);
      await server.processor.idle();
      expect(await transitionsOf(web, '5')).toEqual([[null, 'New', Date.parse('2014-07-15T17:42:44.663Z')]]);
      expect(await transitionsOf(web, '13')).toEqual([['New', 'Approved', Date.parse('2021-08-07T15:41:50.23Z')]]);
    });

    it('tampered bodies and wrong secrets get 401 for every vendor, and nothing is stored', async () => {
      const samples: [Parameters<typeof vendorHeaders>[0], string][] = [
        ['jira', readFixture('jira', 'issue_updated_status.json')],
        ['github', readFixture('github', 'issues_opened.json')],
        ['gitlab', readFixture('gitlab', 'issue_closed.json')],
        ['linear', withLinearTimestamp(readFixture('linear', 'issue_update.json'), Date.now())],
        ['azure-devops', withAzureId(readFixture('azure-devops', 'workitem_created.json'), 'tamper-test')],
      ];
      const before = await dbSnapshot(store);
      for (const [vendor, body] of samples) {
        const headers = vendorHeaders(vendor, SECRET_OF[vendor], body);
        const tampered = body.replace(/"title"|"summary"|"System.Title"/, (m) => `${m} `);
        if (vendor !== 'gitlab' && vendor !== 'azure-devops') {
          expect((await server.post(vendor, tampered, headers)).status, `${vendor} tampered`).toBe(401);
        }
        expect((await server.post(vendor, body, vendorHeaders(vendor, 'wrong-secret', body))).status, `${vendor} wrong secret`).toBe(401);
        const { 'x-hub-signature': _a, 'x-hub-signature-256': _b, 'x-gitlab-token': _c, 'linear-signature': _d, authorization: _e, ...unsigned } = headers;
        expect((await server.post(vendor, body, unsigned)).status, `${vendor} unsigned`).toBe(401);
      }
      expect(await dbSnapshot(store)).toEqual(before);
    });

    it('a redelivery (same delivery id) gets 200 and changes nothing', async () => {
      const body = readFixture('jira', 'issue_updated_status.json');
      const headers = vendorHeaders('jira', SECRETS.JIRA_SECRET, body, { deliveryId: 'dup-1' });
      expect((await server.post('jira', body, headers)).status).toBe(202);
      await server.processor.idle();
      const before = await dbSnapshot(store);
      const again = await server.post('jira', body, headers);
      expect(again).toEqual({ status: 200, json: { duplicate: 'dup-1' } });
      expect(await dbSnapshot(store)).toEqual(before);
    });

    it('deliveries out of order give the same timeline as in order', async () => {
      const created = readFixture('jira', 'issue_created.json');
      const moved = readFixture('jira', 'issue_updated_status.json');
      const as = (text: string, key: string) => text.replaceAll('"TES-41"', `"${key}"`);
      for (const body of [as(created, 'TES-501'), as(moved, 'TES-501')]) await send('jira', body);
      for (const body of [as(moved, 'TES-502'), as(created, 'TES-502')]) await send('jira', body);
      await server.processor.idle();
      const inOrder = await getWorkItem(store.db, web, 'TES-501');
      const reversed = await getWorkItem(store.db, web, 'TES-502');
      expect(reversed?.transitions).toEqual(inOrder?.transitions);
      expect(reversed?.createdAt).toBe(inOrder?.createdAt);
      expect(reversed?.title).toBe('Unit test summary 1');
      expect(inOrder?.transitions).toHaveLength(2);
    });

    it('malformed: not JSON 400, wrong shape 400, unknown event 200 ignored; nothing stored', async () => {
      const before = await dbSnapshot(store);
      const notJson = '{"webhookEvent": "jira:issue_updated", ';
      expect(await send('jira', notJson)).toMatchObject({ status: 400, json: { error: expect.stringContaining('not JSON') } });
      const wrong = JSON.stringify({ webhookEvent: 'jira:issue_updated', issue: { key: 7 } });
      expect(await send('jira', wrong)).toMatchObject({ status: 400, json: { error: expect.stringContaining('issue.key') } });
      const push = JSON.stringify({ ref: 'refs/heads/main', repository: { full_name: 'a/b' } });
      expect(await send('github', push, { githubEvent: 'push' })).toMatchObject({ status: 200, json: { ignored: expect.stringContaining('push') } });
      expect(await dbSnapshot(store)).toEqual(before);
    });

    it('unknown route 404, wrong method 405, body over 1 MB 413', async () => {
      expect((await fetch(`${server.url}/webhooks/trello`, { method: 'POST', body: '{}' })).status).toBe(404);
      expect((await fetch(`${server.url}/webhooks/jira`)).status).toBe(405);
      const big = 'x'.repeat(1024 * 1024 + 1);
      expect((await send('jira', big)).status).toBe(413);
    });

    it('a status missing from the map is stored and logged with the fix', async () => {
      const body = readFixture('jira', 'issue_updated_status.json').replaceAll('"In Progress"', '"QA Ready"').replaceAll('"TES-41"', '"TES-900"');
      expect((await send('jira', body)).status).toBe(202);
      await server.processor.idle();
      expect((await transitionsOf(web, 'TES-900'))?.[0]?.[1]).toBe('QA Ready');
      expect(server.log.lines.join('\n')).toContain("add 'QA Ready' to a stage in");
    });
  });
}
