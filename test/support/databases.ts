/**
 * The databases store tests run against: SQLite always, Postgres when
 * TEST_DATABASE_URL is set. Each store is isolated and fresh.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openPostgresStore, openSqliteStore, type Store, type StoreDialect } from '../../src/store/database.ts';

let warned = false;

/** ['sqlite'] plus 'postgres' when TEST_DATABASE_URL is set; warns loudly once when it is not. */
export function testDialects(): StoreDialect[] {
  if (process.env.TEST_DATABASE_URL) return ['sqlite', 'postgres'];
  if (!warned) {
    warned = true;
    console.warn(
      '\n*** Postgres storage tests SKIPPED: set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test ***\n',
    );
  }
  return ['sqlite'];
}

/**
 * A fresh, migrated store. SQLite: a file in a new temp directory, removed
 * on close. Postgres: a new schema t_<random> (search_path set through the
 * pool's options), dropped CASCADE on close, so test files can run in
 * parallel against one database.
 */
export async function openTestStore(dialect: StoreDialect): Promise<Store> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'flow-nudge-test-'));
    const store = await openSqliteStore(join(dir, 'test.db'));
    return {
      ...store,
      async close() {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('openTestStore("postgres") needs TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test');
  const schema = `t_${randomBytes(6).toString('hex')}`;
  await withClient(url, (client) => client.query(`CREATE SCHEMA ${schema}`));
  let store: Store;
  try {
    store = await openPostgresStore({ connectionString: url, options: `-c search_path=${schema}`, max: 4 });
  } catch (error) {
    await withClient(url, (client) => client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
    throw error;
  }
  return {
    ...store,
    async close() {
      await store.close();
      await withClient(url, (client) => client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
    },
  };
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
