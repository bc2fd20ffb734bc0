/**
 * Opens the database named by DATABASE_URL — SQLite (the embedded default)
 * or Postgres — and brings it to the latest migration.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { CurrentSchemaPostgresDialect } from './current-schema-dialect.ts';
import { Kysely, Migrator, SqliteDialect, sql, type MigrationResult, type MigrationResultSet } from 'kysely';
import pg from 'pg';
import { dialectOf, type StoreDialect } from './migrations/dialect-of.ts';
import { migrations } from './migrations/index.ts';
import type { Database } from './schema.ts';

export type { Database } from './schema.ts';
export type { StoreDialect } from './migrations/dialect-of.ts';

export interface Store {
  db: Kysely<Database>;
  dialect: StoreDialect;
  /** The raw better-sqlite3 handle (SQLite only), for bulk paths that need prepared statements. */
  sqlite?: BetterSqlite3.Database;
  close(): Promise<void>;
}

export const DEFAULT_DATABASE_URL = 'file:./data/flow-nudge.db';

const ACCEPTED_FORMS =
  "file:PATH (SQLite, e.g. file:./data/flow-nudge.db), :memory: (SQLite in memory), or postgres://user@host:5432/db (also postgresql://)";

// Postgres returns bigint (oid 20) as a string by default; our bigints are epoch ms and counts.
pg.types.setTypeParser(20, (value: string) => Number(value));

/**
 * Opens the store named by `url` (DATABASE_URL) and applies every pending migration.
 *
 * - unset → `file:./data/flow-nudge.db` (the ./data directory is created)
 * - `file:PATH` or `:memory:` → SQLite (WAL, foreign keys on)
 * - `postgres://…` or `postgresql://…` → Postgres
 *
 * @example
 * const store = await openStore(process.env.DATABASE_URL);
 * try { ... } finally { await store.close(); }
 */
export async function openStore(url?: string, options: StoreOptions = {}): Promise<Store> {
  const value = url === undefined || url.trim() === '' ? DEFAULT_DATABASE_URL : url.trim();
  if (value === ':memory:' || value === 'file::memory:') return openSqliteStore(':memory:');
  if (value.startsWith('file:')) {
    const path = value.slice('file:'.length).replace(/^\/\/(?=\/)/, '');
    if (path === '') throw new Error(`DATABASE_URL "${value}" names no file. Use one of: ${ACCEPTED_FORMS}.`);
    return openSqliteStore(path);
  }
  if (value.startsWith('postgres://') || value.startsWith('postgresql://')) {
    return openPostgresStore({ connectionString: value }, options);
  }
  throw new Error(`DATABASE_URL "${redact(value)}" is not a database this bot can open. Use one of: ${ACCEPTED_FORMS}.`);
}

/** Opens (creating if needed) a SQLite file, or `:memory:`, and migrates it. */
export async function openSqliteStore(path: string): Promise<Store> {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  let sqlite: BetterSqlite3.Database;
  try {
    sqlite = new BetterSqlite3(path);
  } catch (error) {
    throw new Error(
      `Cannot open the SQLite database at ${resolve(path)}: ${(error as Error).message}. ` +
        'Check that the directory is writable, or set DATABASE_URL to another file:PATH.',
    );
  }
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  // A 16 MB page cache for the bot's reads; a bulk import lowers it while it runs (SQLITE_IMPORT_CACHE_KIB).
  sqlite.pragma(`cache_size = ${SQLITE_CACHE_KIB}`);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  sqliteHandles.set(db, sqlite);
  const store: Store = { db, dialect: 'sqlite', sqlite, close: () => db.destroy() };
  return migrateOrClose(store);
}

/** SQLite page cache sizes (negative: KiB, as the pragma reads them). */
export const SQLITE_CACHE_KIB = -16_384;
/**
 * While a bulk import runs: 4 MB. Its rows go in in key order, so inserts touch the right edge of
 * each index and a larger cache buys nothing. On a million transitions (`npm run bench scale`):
 * 64 MB was 0.3 s slower than 16 MB with 64 MB more peak RSS; 4 MB is as fast as 16 MB (5.7 s,
 * and 4.8 vs 5.0 s for a second import of the same file into the full stream) with 12 MB less.
 */
export const SQLITE_IMPORT_CACHE_KIB = -4_096;

/** A Kysely over any of our schemas (migrations and helpers that work on every table set). */
// biome-ignore lint/suspicious/noExplicitAny: Kysely's own idiom for a database of unknown tables
export type AnyKysely = Kysely<any>;

const sqliteHandles = new WeakMap<AnyKysely, BetterSqlite3.Database>();

/**
 * The raw better-sqlite3 handle behind a Kysely instance opened by
 * openSqliteStore (not a transaction's), for read paths that must be fast;
 * undefined otherwise.
 */
export function sqliteHandleOf(db: AnyKysely): BetterSqlite3.Database | undefined {
  return sqliteHandles.get(db);
}

export interface StoreOptions {
  /** where a lost Postgres connection is reported (default: stderr) */
  log?: { warn(message: string): void };
}

/**
 * The pool's config with Postgres's JIT off, added to the server options it already gives (in
 * `options`, or in the URL's `options=` parameter, which pg would otherwise let override ours).
 * The bot's queries are short: a read of a 90-day window at 1M items spent ~290 ms compiling
 * before it started.
 * @example withoutJit({ connectionString: 'postgres://h/db?options=-c%20search_path%3Dx' }).options // '-c search_path=x -c jit=off'
 */
export function withoutJit(config: pg.PoolConfig): pg.PoolConfig {
  let { connectionString } = config;
  const given = [config.options];
  if (connectionString?.includes('options=')) {
    const url = new URL(connectionString);
    given.unshift(url.searchParams.get('options') ?? undefined);
    url.searchParams.delete('options');
    connectionString = url.toString();
  }
  return { ...config, ...(connectionString === undefined ? {} : { connectionString }), options: [...given, '-c jit=off'].filter(Boolean).join(' ') };
}

/**
 * Opens a Postgres pool (any `pg` PoolConfig, e.g. with `options: '-c search_path=x'`) and migrates it.
 *
 * A server restart or a terminated connection never ends the process: the pool drops the broken
 * client (an idle one, or one a query holds), says so in the log, and opens a new connection for
 * the next query; the queries of that moment fail with an error isStoreUnavailable recognises
 * (the HTTP server answers them 503 with Retry-After).
 */
export async function openPostgresStore(config: pg.PoolConfig, options: StoreOptions = {}): Promise<Store> {
  const pool = new pg.Pool({ max: 10, connectionTimeoutMillis: 5_000, ...withoutJit(config) });
  const report = connectionLossReporter(options.log);
  // An idle client's error reaches the pool; a checked-out one's reaches only the client (no listener → crash).
  pool.on('error', report);
  pool.on('connect', (client) => client.on('error', report));
  const db = new Kysely<Database>({ dialect: new CurrentSchemaPostgresDialect({ pool }) });
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    await db.destroy();
    throw new Error(
      `Cannot connect to Postgres at ${redact(config.connectionString ?? `${config.host ?? 'localhost'}`)}: ` +
        `${(error as Error).message}. Check DATABASE_URL (postgres://user:password@host:5432/database) and that the server is running.`,
    );
  }
  const store: Store = { db, dialect: 'postgres', close: () => db.destroy() };
  return migrateOrClose(store);
}

async function migrateOrClose(store: Store): Promise<Store> {
  let error: unknown;
  try {
    error = (await migrateToLatest(store.db)).error;
  } catch (thrown) {
    error = thrown;
  }
  if (error === undefined) return store;
  await store.close();
  throw error;
}

/** Thrown when a migration fails; `results` says which ran, which failed and which did not run. */
export class MigrationError extends Error {
  readonly results: MigrationResult[];
  constructor(message: string, results: MigrationResult[], cause: unknown) {
    super(message, { cause });
    this.name = 'MigrationError';
    this.results = results;
  }
}

/**
 * Applies every migration not applied yet and returns Kysely's result set:
 * `results` lists each migration that ran (none when up to date); `error`,
 * when set, is a MigrationError naming the migration that failed (rolled
 * back: both dialects have transactional DDL). openStore throws that error.
 */
export async function migrateToLatest(db: AnyKysely): Promise<MigrationResultSet> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableSchema: await currentSchema(db),
    // Numbers are handed out per piece of work and land in any order (0008 before 0007): a
    // database that has a later one applied still takes an earlier one that arrives after it.
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error === undefined) return { results };
  const failed = results?.find((r) => r.status === 'Error');
  const name = failed?.migrationName ?? 'the migration setup';
  const reason = error instanceof Error ? error.message : String(error);
  return {
    results,
    error: new MigrationError(
      `Database migration ${name} failed: ${reason}. Nothing of ${name} was applied; ` +
        'fix the cause (permissions, a hand-edited table) and run `flow-nudge migrate` again.',
      results ?? [],
      error,
    ),
  };
}

/**
 * The schema the Kysely migration tables live in (Postgres only). Naming it
 * keeps the migrator from mistaking another schema's tables for ours.
 */
async function currentSchema(db: AnyKysely): Promise<string | undefined> {
  if (dialectOf(db) !== 'postgres') return undefined;
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  return rows[0]?.schema ?? undefined;
}

/** One log line per lost connection burst (a restart ends every connection at once), not one per client. */
function connectionLossReporter(log: StoreOptions['log']): (error: Error) => void {
  const warn = log ? (line: string) => log.warn(line) : (line: string) => process.stderr.write(`${line}\n`);
  let lastAt = 0;
  let quiet = 0;
  return (error) => {
    const at = Date.now();
    if (at - lastAt < 5_000) {
      quiet += 1;
      return;
    }
    const more = quiet > 0 ? ` (and ${quiet} more since the last report)` : '';
    lastAt = at;
    quiet = 0;
    const code = (error as { code?: string }).code;
    warn(`postgres: a connection was lost (${code ? `${code} ` : ''}${error.message})${more}; the pool opens a new one for the next query, requests meanwhile get 503 with Retry-After.`);
  };
}

/** Hides a password in a URL before it reaches an error message. */
function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
}
