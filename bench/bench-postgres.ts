/**
 * Postgres for the benches: the URL TEST_DATABASE_URL or DATABASE_URL names (or undefined), and
 * a fresh schema of its own for one measurement, dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export function benchPostgresUrl(): string | undefined {
  return [process.env.TEST_DATABASE_URL, process.env.DATABASE_URL].find((u) => u?.startsWith('postgres'));
}

/** Runs `use` with the URL of a new schema (search_path set) and an admin client on the same database; drops the schema after. */
export async function withBenchSchema<T>(pgUrl: string, use: (url: string, admin: pg.Client, schema: string) => Promise<T>): Promise<T> {
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  try {
    return await use(`${pgUrl}${pgUrl.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`, admin, schema);
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  }
}
