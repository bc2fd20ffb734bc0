import { PostgresAdapter, type Kysely } from 'kysely';

export type StoreDialect = 'sqlite' | 'postgres';

/** Which SQL dialect a Kysely instance speaks; migrations use it where the DDL differs. */
export function dialectOf(db: Kysely<any>): StoreDialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}
