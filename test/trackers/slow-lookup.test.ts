/**
 * A slow tracker lookup does not hold back the deliveries after it (issue 21): a GitHub
 * Projects v2 delivery whose Status lookup (a local server shaped like
 * api.github.com/graphql) answers after 4 s, then 10 ordinary deliveries: those are done
 * within 1 s while the lookup is still waiting; the slow one is applied once when GitHub
 * answers. A lookup past its deadline fails and is retried with back-off, then applied.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.ts';
import type { Store } from '../../src/store/database.ts';
import { getStream } from '../../src/store/value-streams.ts';
import { getWorkItem } from '../../src/store/work-items.ts';
import { startDeliveryProcessor } from '../../src/trackers/delivery-processor.ts';
import { createProjectStatusLookup } from '../../src/trackers/github/project-status.ts';
import type { IngestStream } from '../../src/trackers/process-delivery.ts';
import { openTestStore, testDialects } from '../support/databases.ts';
import { memoryLogger, startTestServer, type TestServer } from '../http/support/test-server.ts';
import { readFixture, vendorHeaders } from './support/vendor-requests.ts';

const ITEM = 'PVTI_lADOAWcTxs07G84AVqWu';
const STATUS_FIELD = 'PVTF_lADOAWcTxs07G84AAali';
const SLOW_MS = 4_000;

/** A GraphQL endpoint that answers the Status lookup after `delayMs`. */
async function startSlowGithub(delayMs: () => number): Promise<{ url: string; lookups: number; close(): Promise<void> }> {
  const state = { lookups: 0 };
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      state.lookups += 1;
      setTimeout(() => {
        const body = JSON.stringify({ data: { node: { id: ITEM, fieldValueByName: { name: 'In Progress', updatedAt: '2022-06-08T20:34:26Z', field: { id: STATUS_FIELD, name: 'Status' } } } } });
        res.writeHead(200, { 'content-type': 'application/json', 'x-ratelimit-remaining': '4999', 'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 3600) });
        res.end(body);
      }, delayMs());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get lookups() {
      return state.lookups;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function deliveryStates(store: Store): Promise<Map<string, string>> {
  const rows = await store.db.selectFrom('webhook_delivery').select(['delivery_id', 'state']).execute();
  return new Map(rows.map((r) => [r.delivery_id, r.state]));
}

const config = (apiUrl: string) =>
  parseConfig(
    {
      streams: [
        {
          name: 'web',
          map: { timeZone: 'UTC', stages: [{ name: 'Backlog', kind: 'backlog', statuses: ['open'] }, { name: 'Doing', kind: 'touch', statuses: ['In Progress'] }, { name: 'Done', kind: 'done', statuses: ['closed'] }] },
          sources: [{ vendor: 'github', secretEnv: 'GH_SECRET', tokenEnv: 'GH_READ', apiUrl }],
        },
      ],
    },
    { path: null, env: { GH_SECRET: 'gh-secret', GH_READ: 'ghp-read' } },
  );

/** The published projects_v2_item example (no from/to: needs the lookup) for the issue of `opened`. */
function projectsDelivery(opened: { issue: { node_id: string } }): string {
  const body = JSON.parse(readFixture('github', 'projects_v2_item_edited_single_select.json'));
  body.projects_v2_item.content_node_id = opened.issue.node_id;
  body.projects_v2_item.updated_at = '2022-06-08T20:34:26Z';
  return JSON.stringify(body);
}

function openedIssue(n: number) {
  const opened = JSON.parse(readFixture('github', 'issues_opened.json'));
  opened.issue.number = n;
  opened.issue.id = 900_000 + n;
  opened.issue.node_id = `I_slow_${n}`;
  return opened;
}

for (const dialect of testDialects()) {
  describe(`a slow Projects v2 Status lookup (${dialect})`, () => {
    let store: Store;
    let server: TestServer;
    let github: Awaited<ReturnType<typeof startSlowGithub>>;
    beforeEach(async () => {
      store = await openTestStore(dialect);
      github = await startSlowGithub(() => SLOW_MS);
      server = await startTestServer(store, await config(github.url));
    });
    afterEach(async () => {
      await server.close();
      await github.close();
      await store.close();
    });

    it('does not hold back 10 ordinary deliveries stored after it: they are done within 1 s; it is applied once when GitHub answers', { timeout: 20_000 }, async () => {
      const first = openedIssue(1);
      const firstText = JSON.stringify(first);
      expect((await server.post('github', firstText, vendorHeaders('github', 'gh-secret', firstText, { deliveryId: 'opened-1' }))).status).toBe(202);
      await server.processor.idle();
      const slow = projectsDelivery(first);
      expect((await server.post('github', slow, vendorHeaders('github', 'gh-secret', slow, { deliveryId: 'slow', githubEvent: 'projects_v2_item' }))).status).toBe(202);
      // the lookup is under way before the others arrive
      const askedBy = Date.now() + 2_000;
      while (github.lookups === 0 && Date.now() < askedBy) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(github.lookups).toBe(1);

      const started = performance.now();
      for (let n = 2; n <= 11; n++) {
        const text = JSON.stringify(openedIssue(n));
        expect((await server.post('github', text, vendorHeaders('github', 'gh-secret', text, { deliveryId: `opened-${n}` }))).status).toBe(202);
      }
      const ordinary = Array.from({ length: 10 }, (_, i) => `opened-${i + 2}`);
      let states = await deliveryStates(store);
      while (ordinary.some((id) => states.get(id) !== 'done') && performance.now() - started < 3_000) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        states = await deliveryStates(store);
      }
      const doneAfter = performance.now() - started;
      expect(ordinary.map((id) => states.get(id))).toEqual(ordinary.map(() => 'done'));
      expect(doneAfter).toBeLessThan(1_000);
      expect(states.get('slow')).toBe('pending'); // GitHub has not answered yet

      await server.processor.idle();
      expect((await deliveryStates(store)).get('slow')).toBe('done');
      const stream = await getStream(store.db, 'web');
      const item = await getWorkItem(store.db, stream!.id, `${first.repository.full_name}#1`);
      expect(item?.transitions.filter((t) => t.to === 'In Progress')).toEqual([{ from: 'open', to: 'In Progress', at: Date.parse('2022-06-08T20:34:26Z') }]);
      expect(github.lookups).toBe(1);
    });
  });

  it(`a lookup past its deadline is failed and retried with back-off, then applied once (${dialect})`, { timeout: 20_000 }, async () => {
    const store = await openTestStore(dialect);
    let delay = 3_000;
    const github = await startSlowGithub(() => delay);
    try {
      const cfg = await config(github.url);
      const logged = memoryLogger();
      // the route stores the deliveries; a processor of our own, with a 500 ms lookup deadline and a clock we move
      const server = await startTestServer(store, cfg);
      await server.processor.stop();
      const first = openedIssue(1);
      const firstText = JSON.stringify(first);
      await server.post('github', firstText, vendorHeaders('github', 'gh-secret', firstText, { deliveryId: 'opened-1' }));
      const slow = projectsDelivery(first);
      await server.post('github', slow, vendorHeaders('github', 'gh-secret', slow, { deliveryId: 'slow', githubEvent: 'projects_v2_item' }));
      await server.close();
      const stream = await getStream(store.db, 'web');
      const streams: IngestStream[] = cfg.streams.map((s) => ({ name: s.name, id: stream!.id, map: s.map, mapOrigin: s.mapOrigin, sources: s.sources }));
      let clock = Date.UTC(2026, 11, 3, 9);
      const processor = startDeliveryProcessor({ store, streams, log: logged, now: () => clock, resolveLookups: createProjectStatusLookup(), lookupTimeoutMs: 500, pollMs: 50 });
      try {
        await processor.idle();
        const row = await store.db.selectFrom('webhook_delivery').selectAll().where('delivery_id', '=', 'slow').executeTakeFirstOrThrow();
        expect(row.state).toBe('failed');
        expect(row.error).toMatch(/did not answer .* within 500 ms/);
        expect(Number(row.retry_at)).toBe(clock + 2_000);
        delay = 0;
        clock += 2_000;
        processor.wake();
        await processor.idle();
        expect((await deliveryStates(store)).get('slow')).toBe('done');
        const item = await getWorkItem(store.db, stream!.id, `${first.repository.full_name}#1`);
        expect(item?.transitions.filter((t) => t.to === 'In Progress')).toHaveLength(1);
      } finally {
        await processor.stop();
      }
    } finally {
      await github.close();
      await store.close();
    }
  });
}
