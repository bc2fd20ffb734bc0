/**
 * What the webhook route checks before it acknowledges (issue 21): a delivery processing could
 * never apply is refused with 400 and its reason and nothing is stored; signatures are verified
 * over the raw bytes; the stored headers keep no signature; Linear is idempotent on the event.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/database.ts';
import { getStream } from '../../src/store/value-streams.ts';
import { getWorkItem } from '../../src/store/work-items.ts';
import { openTestStore, testDialects } from '../support/databases.ts';
import { readFixture, vendorHeaders, withLinearTimestamp } from '../trackers/support/vendor-requests.ts';
import { dbSnapshot } from './support/db-snapshot.ts';
import { SECRET_OF, startTestServer, type TestServer } from './support/test-server.ts';

type Vendor = Parameters<typeof vendorHeaders>[0];

function withTitle(vendor: 'jira' | 'github' | 'linear', title: string): string {
  if (vendor === 'jira') {
    const body = JSON.parse(readFixture('jira', 'issue_updated_status.json'));
    body.issue.fields.summary = title;
    return JSON.stringify(body);
  }
  if (vendor === 'github') {
    const body = JSON.parse(readFixture('github', 'issues_opened.json'));
    body.issue.title = title;
    return JSON.stringify(body);
  }
  const body = JSON.parse(withLinearTimestamp(readFixture('linear', 'issue_update.json'), Date.now()));
  body.updatedFrom.stateId = 'old-state';
  body.data.title = title;
  return JSON.stringify(body);
}

for (const dialect of testDialects()) {
  describe(`webhook route: validated before acknowledging (${dialect})`, () => {
    let store: Store;
    let server: TestServer;

    beforeAll(async () => {
      store = await openTestStore(dialect);
      server = await startTestServer(store);
    });
    afterAll(async () => {
      await server?.close();
      await store?.close();
    });

    const send = (vendor: Vendor, body: string, extra: Parameters<typeof vendorHeaders>[3] = {}) => server.post(vendor, body, vendorHeaders(vendor, SECRET_OF[vendor], body, extra));

    it.each(['jira', 'github', 'linear'] as const)('%s: a title with \\u0000 is refused with 400 naming it, nothing stored', async (vendor) => {
      const before = await dbSnapshot(store);
      const res = await send(vendor, withTitle(vendor, 'Checkout\u0000 fails'));
      expect(res.status).toBe(400);
      expect(res.json.error).toMatch(/title contains U\+0000/);
      expect(await dbSnapshot(store)).toEqual(before);
    });

    it('jira: a timestamp beyond any date (2^53) is refused with 400, nothing stored', async () => {
      const before = await dbSnapshot(store);
      const body = JSON.parse(readFixture('jira', 'issue_updated_status.json'));
      for (const timestamp of [9007199254740992, 1e300]) {
        body.timestamp = timestamp;
        const res = await send('jira', JSON.stringify(body));
        expect(res.status, String(timestamp)).toBe(400);
        expect(res.json.error).toMatch(/is not a time between 1970-01-01 and 9999-12-31/);
      }
      expect(await dbSnapshot(store)).toEqual(before);
    });

    it('a vendor-signed body that is not valid UTF-8 gets 400 for its content, never 401', async () => {
      const text = readFixture('jira', 'issue_updated_status.json');
      const bytes = Buffer.from(text.replace('Unit test summary 1', 'Unit test \u00ff summary'), 'latin1'); // 0xFF alone is never UTF-8
      const signature = `sha256=${createHmac('sha256', SECRET_OF.jira).update(bytes).digest('hex')}`;
      const before = await dbSnapshot(store);
      const res = await fetch(`${server.url}/webhooks/jira`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature': signature, 'x-atlassian-webhook-identifier': 'latin1-1' },
        body: bytes,
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toContain('not valid UTF-8');
      expect(await dbSnapshot(store)).toEqual(before);
    });

    it('stored headers keep what processing needs and no signature or token', async () => {
      const bodies: [Vendor, string][] = [
        ['jira', readFixture('jira', 'issue_created.json')],
        ['github', readFixture('github', 'issues_closed.json')],
        ['gitlab', readFixture('gitlab', 'issue_closed.json')],
        ['linear', withTitle('linear', 'Signed')],
      ];
      for (const [vendor, body] of bodies) expect((await send(vendor, body)).status, vendor).toBe(202);
      const rows = await store.db.selectFrom('webhook_delivery').select(['source', 'headers_json']).execute();
      for (const row of rows) {
        const names = Object.keys(JSON.parse(row.headers_json) as object);
        expect(names, row.source).not.toContain('x-hub-signature');
        expect(names, row.source).not.toContain('x-hub-signature-256');
        expect(names, row.source).not.toContain('linear-signature');
        expect(names, row.source).not.toContain('x-gitlab-token');
        expect(names.join(' '), row.source).not.toMatch(/signature|token|authorization|cookie/);
      }
      const github = rows.find((r) => r.source === 'github')!;
      expect(JSON.parse(github.headers_json)).toMatchObject({ 'x-github-event': 'issues', 'x-github-delivery': expect.any(String) });
      await server.processor.idle();
      const states = await store.db.selectFrom('webhook_delivery').select('state').distinct().execute();
      expect(states.map((s) => s.state)).toEqual(['done']);
    });

    it('linear: a redelivery under a new Linear-Delivery id after later events adds no row (order 2, 1, 3, then 2 again)', async () => {
      const web = (await getStream(store.db, 'web'))!.id;
      const base = JSON.parse(withLinearTimestamp(readFixture('linear', 'issue_update.json'), Date.now()));
      const event = (number: number, state: string, at: string) => {
        const body = structuredClone(base);
        body.data.number = 90;
        body.data.identifier = 'WEB-90';
        body.data.state = { ...body.data.state, id: `state-${number}`, name: state, type: state === 'Done' ? 'completed' : 'started' };
        body.data.updatedAt = at;
        body.updatedFrom = { stateId: `state-${number - 1}`, updatedAt: at };
        return JSON.stringify(body);
      };
      const e1 = event(1, 'In Progress', '2026-11-02T09:00:00.000Z');
      const e2 = event(2, 'In Review', '2026-11-03T09:00:00.000Z');
      const e3 = event(3, 'Done', '2026-11-04T09:00:00.000Z');
      for (const body of [e2, e1, e3]) {
        expect((await send('linear', body)).status).toBe(202);
        await server.processor.idle();
      }
      const first = (await getWorkItem(store.db, web, 'WEB-90'))!.transitions;
      expect((await send('linear', e2, { deliveryId: 'a-new-delivery-of-event-2' })).status).toBe(202);
      await server.processor.idle();
      const after = (await getWorkItem(store.db, web, 'WEB-90'))!.transitions;
      expect(after).toEqual(first);
      expect(after.filter((t) => t.to === 'In Review')).toHaveLength(1);
    });
  });
}
