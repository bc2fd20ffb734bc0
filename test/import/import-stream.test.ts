/**
 * `flow-nudge import` reads its file in pieces and stores it batch by batch in one transaction
 * (issue 18, item 4). A file of many pieces must end up stored exactly as its whole parse, and a
 * bad row in its last piece must still leave nothing behind — on SQLite and Postgres.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importHistory } from '../../src/cli/import-history.ts';
import type { StreamMap } from '../../src/core/types.ts';
import { ImportError } from '../../src/import/import-error.ts';
import { parseTransitionsCsv } from '../../src/import/transitions-csv.ts';
import type { Store } from '../../src/store/database.ts';
import { getStream } from '../../src/store/value-streams.ts';
import { loadWorkItems } from '../../src/store/work-items.ts';
import { openTestStore, testDialects } from '../support/databases.ts';

const HEADER = 'key,type,title,parent,created_at,from_status,to_status,at';
const MAP: StreamMap = {
  name: 'big',
  timeZone: 'Europe/Berlin',
  stages: [
    { name: 'Backlog', kind: 'backlog', statuses: ['Backlog'] },
    { name: 'Doing', kind: 'touch', statuses: ['In Progress'] },
    { name: 'Done', kind: 'done', statuses: ['Done'] },
  ],
};
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const T0 = Date.UTC(2026, 0, 5, 9);
const HOUR = 3_600_000;

/** Rows of `items` items (three transitions each, one title in five quoted with a comma); BIG-7's last row comes at the very end. */
function rows(items: number, prefix = 'BIG'): string[] {
  const lines: string[] = [];
  let late = '';
  for (let n = 1; n <= items; n += 1) {
    const created = T0 + n * 60_000;
    const title = n % 5 === 0 ? `"Item ${n}, with a comma"` : `Item ${n}`;
    const head = `${prefix}-${n},${n % 3 === 0 ? 'defect' : 'feature'},${title},,${iso(created)}`;
    lines.push(`${head},,Backlog,${iso(created)}`, `${head},Backlog,In Progress,${iso(created + HOUR)}`);
    const last = `${head},In Progress,Done,${iso(created + 30 * HOUR)}`;
    if (n === 7) late = last;
    else lines.push(last);
  }
  return [...lines, late];
}

const count = async (store: Store, table: 'work_item' | 'transition') =>
  Number((await store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

describe.each(testDialects())('import of a file in many pieces on %s', (dialect) => {
  let store: Store;
  let dir: string;
  const write = (name: string, lines: string[]) => {
    const path = join(dir, name);
    writeFileSync(path, `${[HEADER, ...lines].join('\n')}\n`);
    return path;
  };
  const importFile = (path: string, onProgress?: (done: number, total: number) => void) =>
    importHistory(store, { path, fileName: 'big.csv', stream: 'big', givenMap: { map: MAP, fileName: 'big.yaml' }, ...(onProgress ? { onProgress } : {}) });

  beforeEach(async () => {
    store = await openTestStore(dialect);
    dir = mkdtempSync(join(tmpdir(), 'flow-nudge-stream-'));
  });
  afterEach(async () => {
    await store.close();
  });

  it('stores what the whole file parses to, reports progress up to the total, and a second import adds nothing', async () => {
    // 3,000 items, 9,000 rows, ~650 KiB: ten pieces, six Postgres item batches
    const lines = rows(3_000);
    const path = write('big.csv', lines);
    const progress: [number, number][] = [];
    const first = await importFile(path, (done, total) => progress.push([done, total]));
    expect(first).toMatchObject({ format: 'transitions-csv', items: 3_000, itemsAdded: 3_000, itemsUpdated: 0, transitionsRead: 9_000, transitionsAdded: 9_000 });
    expect(progress.length).toBeGreaterThan(5);
    expect(progress.at(-1)).toEqual([9_000, 9_000]);
    for (const [done, total] of progress) expect(done).toBeLessThanOrEqual(total);

    const stream = await getStream(store.db, 'big');
    const stored = await loadWorkItems(store.db, stream!.id);
    const parsed = parseTransitionsCsv(`${[HEADER, ...lines].join('\n')}\n`, 'big.csv');
    const shape = (items: typeof parsed) =>
      items
        .map((item) => ({ key: item.key, type: item.type, title: item.title, createdAt: item.createdAt, transitions: [...item.transitions].sort((a, b) => a.at - b.at) }))
        .sort((a, b) => a.key.localeCompare(b.key));
    expect(shape(stored)).toEqual(shape(parsed));
    expect(stored.find((item) => item.key === 'BIG-7')?.transitions.map((t) => t.to)).toEqual(['Backlog', 'In Progress', 'Done']);
    expect(stored.find((item) => item.key === 'BIG-10')?.title).toBe('Item 10, with a comma');

    expect(await importFile(path)).toMatchObject({ items: 3_000, itemsAdded: 0, itemsUpdated: 0, transitionsAdded: 0 });
  });

  it('refuses a file whose one bad row is in its last piece: the line, and nothing stored, not even the new stream', async () => {
    const lines = rows(3_000);
    const path = write('bad-end.csv', [...lines, 'BIG-9001,feature,Late,,2026-02-30T10:00:00Z,,Backlog,2026-03-01T10:00:00Z']);
    const failure = await importFile(path).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ImportError);
    expect((failure as ImportError).problems).toEqual([{ line: lines.length + 2, reason: expect.stringContaining('February 2026 has 28 days') }]);
    expect(await getStream(store.db, 'big')).toBeNull();
    expect(await count(store, 'work_item')).toBe(0);
    expect(await count(store, 'transition')).toBe(0);
  });

  it('into an existing stream, a refused file changes no item, transition or version', async () => {
    await importFile(write('first.csv', rows(100, 'OLD')));
    const versionBefore = (await store.db.selectFrom('value_stream').select('version').executeTakeFirstOrThrow()).version;
    const bad = [...rows(100, 'OLD'), ...rows(2_000, 'NEW'), 'NEW-1,feature,Item 1,,2026-01-05T09:01:00Z,Backlog,QA,2026-01-09T10:00:00Z'];
    await expect(importFile(write('second.csv', bad))).rejects.toThrow(/line \d+: to_status "QA": the map does not name it; add 'QA' to a stage in big.yaml/);
    expect(await count(store, 'work_item')).toBe(100);
    expect(await count(store, 'transition')).toBe(300);
    expect((await store.db.selectFrom('value_stream').select('version').executeTakeFirstOrThrow()).version).toBe(versionBefore);
  });
});
