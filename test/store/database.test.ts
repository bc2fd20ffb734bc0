import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { MigrationError, migrateToLatest, openStore, type Store } from '../../src/store/database.ts';
import { migrations } from '../../src/store/migrations/index.ts';
import { openTestStore, testDialects } from '../support/databases.ts';

const TABLES = [
  'channel_binding',
  'experiment',
  'flow_event',
  'installation',
  'job_run',
  'nudge_sent',
  'outbox',
  'transition',
  'value_stream',
  'webhook_delivery',
  'work_item',
];

describe.each(testDialects())('database on %s', (dialect) => {
  let store: Store;
  beforeEach(async () => {
    store = await openTestStore(dialect);
  });
  afterEach(async () => {
    await store.close();
  });

  it('creates every table of the design', async () => {
    const tables = (await store.db.introspection.getTables()).map((table) => table.name);
    for (const table of TABLES) expect(tables).toContain(table);
    expect(store.dialect).toBe(dialect);
  });

  it('applies migrations a second time harmlessly: nothing runs, data stays', async () => {
    await store.db.insertInto('value_stream').values({ name: 'checkout', map_json: '{}', created_at: 1 }).execute();
    const again = await migrateToLatest(store.db);
    expect(again).toEqual({ results: [] });
    const rows = await store.db.selectFrom('value_stream').select('name').execute();
    expect(rows).toEqual([{ name: 'checkout' }]);
  });

  it('records every registered migration as applied', async () => {
    const applied = await store.db.introspection.getTables({ withInternalKyselyTables: true });
    expect(applied.map((table) => table.name)).toContain('kysely_migration');
    const { rows } = await (await import('kysely')).sql<{ name: string }>`select name from kysely_migration order by name`.execute(store.db);
    expect(rows.map((row) => row.name)).toEqual(Object.keys(migrations).sort());
  });

  it('reads bigint columns back as numbers', async () => {
    const big = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z
    await store.db.insertInto('nudge_sent').values({ kind: 'aging', dedup_key: 'k', sent_at: big }).execute();
    const row = await store.db.selectFrom('nudge_sent').select('sent_at').executeTakeFirstOrThrow();
    expect(row.sent_at).toBe(big);
  });
});

describe('openStore URLs', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'flow-nudge-url-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens a SQLite file in WAL mode with foreign keys on, creating its directory', async () => {
    const path = join(dir, 'nested', 'flow.db');
    const store = await openStore(`file:${path}`);
    try {
      expect(store.dialect).toBe('sqlite');
      expect(existsSync(path)).toBe(true);
      expect(store.sqlite!.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(store.sqlite!.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(store.sqlite!.pragma('busy_timeout', { simple: true })).toBe(5000);
    } finally {
      await store.close();
    }
  });

  it('opens the same file twice: the second open finds it migrated', async () => {
    const url = `file:${join(dir, 'flow.db')}`;
    const first = await openStore(url);
    await first.db.insertInto('value_stream').values({ name: 'checkout', map_json: '{}', created_at: 1 }).execute();
    await first.close();
    const second = await openStore(url);
    try {
      expect(await second.db.selectFrom('value_stream').select('name').execute()).toEqual([{ name: 'checkout' }]);
    } finally {
      await second.close();
    }
  });

  it('defaults to file:./data/flow-nudge.db when DATABASE_URL is unset', async () => {
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const store = await openStore(undefined);
      await store.close();
      expect(existsSync(join(dir, 'data', 'flow-nudge.db'))).toBe(true);
    } finally {
      process.chdir(cwd);
    }
  });

  it('opens :memory:', async () => {
    const store = await openStore(':memory:');
    try {
      expect(store.dialect).toBe('sqlite');
      expect(await store.db.selectFrom('work_item').selectAll().execute()).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('refuses to open a database whose migration fails, naming the migration, and rolls it back', async () => {
    const path = join(dir, 'edited.db');
    const raw = new BetterSqlite3(path);
    raw.exec('CREATE TABLE value_stream (id integer primary key, label text)');
    raw.close();
    const attempt = openStore(`file:${path}`);
    await expect(attempt).rejects.toThrow(MigrationError);
    await expect(openStore(`file:${path}`)).rejects.toThrow(/Database migration 0001_initial failed: .*value_stream.*flow-nudge migrate/);
    const check = new BetterSqlite3(path);
    try {
      const tables = check.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'work_item'").all();
      expect(tables).toEqual([]);
    } finally {
      check.close();
    }
  });

  it('refuses an unknown URL naming DATABASE_URL and the accepted forms, without leaking a password', async () => {
    const attempt = openStore('mysql://root:hunter2@db/flow');
    await expect(attempt).rejects.toThrow(/DATABASE_URL/);
    await expect(openStore('mysql://root:hunter2@db/flow')).rejects.toThrow(/file:PATH.*:memory:.*postgres:\/\//);
    await expect(openStore('mysql://root:hunter2@db/flow')).rejects.not.toThrow(/hunter2/);
  });

  it('names the server when Postgres cannot be reached', async () => {
    await expect(openStore('postgres://postgres@127.0.0.1:1/none')).rejects.toThrow(/Cannot connect to Postgres at postgres:\/\/postgres@127\.0\.0\.1:1\/none.*DATABASE_URL/);
  });
});

describe.skipIf(!testDialects().includes('postgres'))('database on postgres shared with others', () => {
  it('keeps JIT off and the server options a URL gives (options=-c search_path=…)', async () => {
    const url = process.env.TEST_DATABASE_URL!;
    const schema = `t_jit_${process.pid}`;
    const pg = (await import('pg')).default;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    try {
      const store = await openStore(`${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`);
      try {
        const { rows } = await sql<{ jit: string; schema: string }>`select current_setting('jit') as jit, current_schema() as schema`.execute(store.db);
        expect(rows[0]).toEqual({ jit: 'off', schema });
        // the URL's schema is the one migrated
        expect((await store.db.introspection.getTables()).some((table) => table.name === 'work_item')).toBe(true);
      } finally {
        await store.close();
      }
    } finally {
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    }
  });

  it('migrates while other clients create and drop schemas of their own (as parallel test files and other tenants do)', async () => {
    // Kysely's own introspector scanned every schema and called has_schema_privilege on each: a
    // schema dropped during the scan failed the migration with "schema … does not exist" (CI saw it).
    const url = process.env.TEST_DATABASE_URL!;
    let churning = true;
    const tables = (schema: string) => Array.from({ length: 10 }, (_, t) => `CREATE TABLE ${schema}.t${t} (id int, a text, b text, c text);`).join(' ');
    const churn = Promise.all(
      [0, 1, 2].map(async (k) => {
        const client = new (await import('pg')).default.Client({ connectionString: url });
        await client.connect();
        try {
          for (let i = 0; churning; i++) {
            const schema = `churn_${process.pid}_${k}_${i}`;
            await client.query(`CREATE SCHEMA ${schema}; ${tables(schema)}`);
            await client.query(`DROP SCHEMA ${schema} CASCADE`);
          }
        } finally {
          await client.end();
        }
      }),
    );
    try {
      for (let i = 0; i < 12; i++) {
        const store = await openTestStore('postgres');
        const names = (await store.db.introspection.getTables()).map((table) => table.name);
        await store.close();
        expect(names).toContain('work_item');
        expect(names).not.toContain('t0');
      }
    } finally {
      churning = false;
      await churn;
    }
  }, 60_000);
});
