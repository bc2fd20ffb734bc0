/**
 * Two replicas on one database (two stores, two hook instances with their own replica ids) share
 * the debounced signal check: one per stream and window, whichever replica stored the deliveries.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createNudgeHooks, type NudgeHooks, SIGNAL_CHECK_JOB } from '../../src/nudges/nudge-hooks.ts';
import { openPostgresStore, openSqliteStore, type Store, type StoreDialect } from '../../src/store/database.ts';
import { listJobRuns } from '../../src/store/job-runs.ts';
import { saveStream } from '../../src/store/value-streams.ts';
import { importWorkItems } from '../../src/store/work-items.ts';
import { openTestStore, testDialects } from '../support/databases.ts';

const WINDOW = 200;

/** Two stores on one database, as two replicas open it. */
async function twoReplicas(dialect: StoreDialect): Promise<{ stores: [Store, Store]; close(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'flow-nudge-replicas-'));
    const a = await openSqliteStore(join(dir, 'shared.db'));
    const b = await openSqliteStore(join(dir, 'shared.db'));
    return {
      stores: [a, b],
      async close() {
        await a.close();
        await b.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const a = await openTestStore('postgres');
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(a.db);
  const b = await openPostgresStore({ connectionString: process.env.TEST_DATABASE_URL!, options: `-c search_path=${rows[0]!.schema}`, max: 2 });
  return {
    stores: [a, b],
    async close() {
      await b.close();
      await a.close();
    },
  };
}

describe.each(testDialects())('replicas sharing signal checks on %s', (dialect) => {
  let closeAll: () => Promise<void> = async () => {};
  afterEach(async () => {
    await closeAll();
  });

  it('checks each stream once per window across two replicas, and again in the next window', async () => {
    const { stores, close } = await twoReplicas(dialect);
    closeAll = close;
    const map = (name: string) => ({ name, timeZone: 'UTC', stages: [{ name: 'Done', kind: 'done' as const, statuses: ['Done'] }] });
    for (const name of ['checkout', 'billing']) {
      const id = await saveStream(stores[0].db, map(name));
      await importWorkItems(stores[0], id, [
        { key: `${name}-1`, type: 'feature', title: 'One', parentKey: null, isEpic: false, createdAt: 0, transitions: [{ from: null, to: 'Done', at: 1 }] },
      ]);
    }
    // a shared clock a little after a window starts, so both replicas' deliveries fall in it
    let clock = Math.floor(Date.now() / WINDOW) * WINDOW + 10;
    const hooksOf = (store: Store, replicaId: string): NudgeHooks => createNudgeHooks({ store, charts: null }, () => clock, { debounceMs: WINDOW, replicaId });
    const a = hooksOf(stores[0], 'replica-a');
    const b = hooksOf(stores[1], 'replica-b');
    const settled = (n: number) =>
      vi.waitFor(() => {
        const total = [a, b].reduce((sum, h) => sum + h.stats().signalChecks + h.stats().signalChecksSkipped, 0);
        expect(total).toBe(n);
      }, { timeout: 5_000, interval: 20 });

    const first = clock - 10;
    await a.onTransitions('checkout', ['checkout-1']);
    await b.onTransitions('checkout', ['checkout-1']);
    await b.onTransitions('billing', ['billing-1']);
    await settled(3);
    expect(a.stats().signalChecks + b.stats().signalChecks).toBe(2);
    expect(a.stats().signalChecksSkipped + b.stats().signalChecksSkipped).toBe(1);
    expect(b.stats().signalChecks).toBeGreaterThanOrEqual(1); // billing came only to b
    // a check is counted when it ran; its claim is marked finished just after: wait for that too
    await vi.waitFor(async () => {
      const claims = await listJobRuns(stores[0].db, SIGNAL_CHECK_JOB);
      expect(claims.map((c) => c.periodKey).sort()).toEqual([`${first}:billing`, `${first}:checkout`]);
      expect(claims.every((c) => c.finishedAt !== null)).toBe(true);
    }, { timeout: 5_000, interval: 20 });

    clock += WINDOW;
    await b.onTransitions('checkout', ['checkout-1']);
    await a.onTransitions('checkout', ['checkout-1']);
    await settled(5);
    expect(a.stats().signalChecks + b.stats().signalChecks).toBe(3);
    expect((await listJobRuns(stores[1].db, SIGNAL_CHECK_JOB)).map((c) => c.periodKey)).toContain(`${first + WINDOW}:checkout`);
  });
});
