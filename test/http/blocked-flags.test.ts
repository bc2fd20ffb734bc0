/**
 * Done when (issue 16, item 2): flags and labels carried by imports and webhooks give the same
 * blocked time. A Jira JSON export with Flagged changelog entries and the same history sent as
 * Jira webhooks (the real fixture shape, signed with X-Hub-Signature); GitHub, GitLab and Linear
 * label events (real fixtures, signed each vendor's way) for the configured label `blocked`.
 * Over real HTTP on 127.0.0.1, into real SQLite and Postgres, read back through the stream history.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importHistory } from '../../src/cli/import-history.ts';
import { parseConfig } from '../../src/config/load-config.ts';
import { blockedTime } from '../../src/core/blocked-time.ts';
import type { StreamMap } from '../../src/core/types.ts';
import type { Store } from '../../src/store/database.ts';
import { loadStreamHistory } from '../../src/store/stream-history.ts';
import { openTestStore, testDialects } from '../support/databases.ts';
import { readFixture, vendorHeaders, withLinearTimestamp } from '../trackers/support/vendor-requests.ts';
import { SECRETS, SECRET_OF, TEST_CONFIG, startTestServer, type TestServer } from './support/test-server.ts';

const H = 3_600_000;
const MAP = {
  timeZone: 'UTC',
  stages: [
    { name: 'Backlog', kind: 'backlog', statuses: ['To Do'] },
    { name: 'Development', kind: 'touch', statuses: ['In Progress', 'open', 'opened'] },
    { name: 'Review', kind: 'wait', statuses: ['In Review'] },
    { name: 'Done', kind: 'done', statuses: ['Done', 'closed'] },
  ],
  blockedWhenFlagged: true,
  blockedLabels: ['Blocked'],
};
// the test server's own sources (one per vendor), with a map that says what blocked looks like
const CONFIG = { streams: [{ ...TEST_CONFIG.streams[0]!, map: MAP }] };
const WINDOW = { from: Date.UTC(2019, 0, 1), to: Date.UTC(2030, 0, 1) };

// The Jira history (export and webhooks alike): In Progress at 03:14:22.039 on Feb 16 (UTC),
// flagged Feb 18 09:00 → Feb 19 15:30 (30.5 h in Development), In Review Feb 20 10:00,
// flagged again Feb 21 08:00 and still flagged at NOW (24 h in Review).
const NOW = Date.UTC(2019, 1, 22, 8);

for (const dialect of testDialects()) {
  describe(`blocked flags and labels through imports and webhooks (${dialect})`, () => {
    let store: Store;
    let server: TestServer;

    beforeAll(async () => {
      store = await openTestStore(dialect);
      server = await startTestServer(store, await parseConfig(CONFIG, { path: null, env: { ...SECRETS } }));
    });
    afterAll(async () => {
      await server?.close();
      await store?.close();
    });

    const send = (vendor: 'jira' | 'github' | 'gitlab' | 'linear', body: string, extra: Parameters<typeof vendorHeaders>[3] = {}) =>
      server.post(vendor, body, vendorHeaders(vendor, SECRET_OF[vendor], body, extra));
    async function blockedOf(stream: string, key: string, now: number) {
      const history = await loadStreamHistory(store, stream);
      return blockedTime(history!.items.filter((item) => item.key === key), history!.map, WINDOW, now);
    }

    it('a Jira JSON export with Flagged entries and Jira webhooks whose changelog sets Flagged give the same blocked time', async () => {
      const text = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'import', 'jira-flagged.json'), 'utf8');
      const imported = await importHistory(store, { text, fileName: 'jira-flagged.json', stream: 'export', givenMap: { map: { ...MAP, name: 'export' } as StreamMap, fileName: 'map.yaml' } });
      // three Flagged entries and one label (needs-design, which the map does not name: kept, counted for nothing)
      expect(imported.flagsAdded).toBe(4);

      const updated = JSON.parse(readFixture('jira', 'issue_updated_status.json'));
      const flagged = (at: number, set: boolean) => JSON.stringify({
        ...updated,
        timestamp: at,
        changelog: { id: String(at), items: [{ field: 'Flagged', fieldtype: 'custom', fieldId: 'customfield_10021', from: set ? null : '[10019]', fromString: set ? null : 'Impediment', to: set ? '[10019]' : null, toString: set ? 'Impediment' : '' }] },
      }, null, 2);
      const review = JSON.stringify({
        ...updated,
        timestamp: Date.UTC(2019, 1, 20, 10),
        changelog: { id: '2', items: [{ ...updated.changelog.items[0], fromString: 'In Progress', toString: 'In Review' }] },
      }, null, 2);
      for (const body of [
        readFixture('jira', 'issue_created.json'),
        readFixture('jira', 'issue_updated_status.json'),
        flagged(Date.UTC(2019, 1, 18, 9), true),
        flagged(Date.UTC(2019, 1, 19, 15, 30), false),
        review,
        flagged(Date.UTC(2019, 1, 21, 8), true),
      ]) {
        expect((await send('jira', body)).status).toBe(202);
      }
      await server.processor.idle();

      const fromExport = await blockedOf('export', 'TES-41', NOW);
      const fromWebhooks = await blockedOf('web', 'TES-41', NOW);
      expect(fromExport.map((s) => [s.stage, s.blockedMs])).toEqual([['Development', 30.5 * H], ['Review', 24 * H]]);
      expect(fromWebhooks).toEqual(fromExport);
    });

    it('a configured label added and removed on GitHub, GitLab and Linear: 2 hours blocked in Development each, other labels nothing', async () => {
      // GitHub: opened with the label bug (not configured), then labeled blocked and unlabeled 2 h later
      expect((await send('github', readFixture('github', 'issues_opened.json'))).status).toBe(202);
      const label = (action: string, at: string) => {
        const body = JSON.parse(readFixture('github', 'issues_labeled.json'));
        return JSON.stringify({ ...body, action, label: { ...body.label, name: 'blocked' }, issue: { ...body.issue, updated_at: at } }, null, 2);
      };
      expect((await send('github', readFixture('github', 'issues_labeled.json'))).status).toBe(202);
      expect((await send('github', label('labeled', '2019-05-16T10:00:00Z'))).status).toBe(202);
      expect((await send('github', label('unlabeled', '2019-05-16T12:00:00Z'))).status).toBe(202);

      // GitLab: reopened (labels Done, InProgress added: not configured), then an update adding blocked, one removing it
      expect((await send('gitlab', readFixture('gitlab', 'issue_reopened_state_labels.json'))).status).toBe(202);
      const reopened = JSON.parse(readFixture('gitlab', 'issue_reopened_state_labels.json'));
      const before = reopened.changes.labels.current;
      const withBlocked = [...before, { ...before[0], id: 235, title: 'blocked' }];
      const relabel = (previous: unknown[], current: unknown[], at: string) => JSON.stringify({
        ...reopened,
        object_attributes: { ...reopened.object_attributes, action: 'update', updated_at: at },
        labels: current,
        changes: { labels: { previous, current }, updated_at: { previous: reopened.object_attributes.updated_at, current: at } },
      }, null, 2);
      expect((await send('gitlab', relabel(before, withBlocked, '2020-07-01 10:00:00 UTC'))).status).toBe(202);
      expect((await send('gitlab', relabel(withBlocked, before, '2020-07-01 12:00:00 UTC'))).status).toBe(202);

      // Linear: moved to In Progress, then labeled blocked (updatedFrom.labelIds: the ids before), then not
      const issue = JSON.parse(readFixture('linear', 'issue_update.json'));
      const ids: string[] = issue.data.labelIds;
      const blockedLabel = { id: '0b10c4ed-0000-4000-8000-000000000001', color: '#EB5757', name: 'blocked' };
      const linear = (at: string, updatedFrom: object, labels: unknown[]) =>
        withLinearTimestamp(JSON.stringify({ ...issue, data: { ...issue.data, updatedAt: at, labels, labelIds: (labels as { id: string }[]).map((l) => l.id) }, updatedFrom }, null, 2), Date.now());
      expect((await send('linear', linear('2023-04-11T10:20:00.000Z', { stateId: 'previous-state-id' }, issue.data.labels))).status).toBe(202);
      expect((await send('linear', linear('2023-04-12T10:00:00.000Z', { labelIds: ids }, [...issue.data.labels, blockedLabel])))).toMatchObject({ status: 202 });
      expect((await send('linear', linear('2023-04-12T12:00:00.000Z', { labelIds: [...ids, blockedLabel.id] }, issue.data.labels)))).toMatchObject({ status: 202 });
      await server.processor.idle();

      const twoHours = [{ stage: 'Development', blockedMs: 2 * H }];
      const now = Date.UTC(2025, 0, 1);
      for (const key of ['Codertocat/Hello-World#1', 'indev/gitlabtomatrix#26', 'WEB-44']) {
        expect((await blockedOf('web', key, now)).map(({ stage, blockedMs }) => ({ stage, blockedMs })), key).toEqual(twoHours);
      }
        // every label is kept (the map chooses which count): bug on GitHub, Done and InProgress on GitLab
      const history = await loadStreamHistory(store, 'web');
      const flagsOf = (key: string) => history!.items.find((item) => item.key === key)?.flags?.map((f) => `${f.flag} ${f.on ? 'set' : 'cleared'}`).sort();
      expect(flagsOf('Codertocat/Hello-World#1')).toEqual(['label:blocked cleared', 'label:blocked set', 'label:bug set']);
      expect(flagsOf('indev/gitlabtomatrix#26')).toEqual(['label:Done set', 'label:InProgress set', 'label:blocked cleared', 'label:blocked set']);
      // Linear names only the labels an issue has now: the ones first seen with the label change are set then
      expect(flagsOf('WEB-44')).toEqual(['label:Bug set', 'label:Custom Label set', 'label:Feature set', 'label:Improvement set', 'label:blocked cleared', 'label:blocked set']);
    });
  });
}
