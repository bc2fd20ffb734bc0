/**
 * 0013: a per-stream version counter (issue 18). `value_stream.version` goes up by one in the
 * same transaction as every write that changes the stream's history (items, transitions,
 * outcomes, flow events), so a cache of that history is current exactly when its version is.
 * It replaces a sum of `updated_at` values modulo a prime, which two histories could share.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('value_stream').addColumn('version', 'bigint', (col) => col.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('value_stream').dropColumn('version').execute();
}
