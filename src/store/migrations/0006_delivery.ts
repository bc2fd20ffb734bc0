/**
 * 0006: resumable, leased delivery and retention.
 * - `outbox.lease_token`: who holds a `sending` row; only that holder may record a step or
 *   mark it sent, retried or failed (each UPDATE checks the token).
 * - `outbox.progress_json`: the platform calls of a delivery that finished (the posted
 *   message's ts or activity id, each uploaded chart), so a retry resumes after the last one.
 * - `nudge_sent.seen_at`: when a nudge last found its key still relevant (an item still aging,
 *   a signal still on the chart); retention drops keys nobody has needed for a while.
 * - Indexes for retention (sent outbox rows, processed webhook deliveries) and, on Postgres, a
 *   byte-order index on `nudge_sent.dedup_key` for prefix lookups (the default collation's
 *   order does not keep a prefix's keys together).
 */
import { sql, type Kysely } from 'kysely';
import { dialectOf } from './dialect-of.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('outbox').addColumn('lease_token', 'text').execute();
  await db.schema.alterTable('outbox').addColumn('progress_json', 'text').execute();
  await db.schema.alterTable('nudge_sent').addColumn('seen_at', 'bigint').execute();
  await db.schema.createIndex('outbox_state_sent_idx').on('outbox').columns(['state', 'sent_at']).execute();
  await db.schema.createIndex('webhook_delivery_processed_idx').on('webhook_delivery').columns(['state', 'processed_at']).execute();
  if (dialectOf(db) === 'postgres') {
    await sql`create index nudge_sent_key_bytes_idx on nudge_sent ((dedup_key collate "C"))`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === 'postgres') await sql`drop index if exists nudge_sent_key_bytes_idx`.execute(db);
  await db.schema.dropIndex('webhook_delivery_processed_idx').ifExists().execute();
  await db.schema.dropIndex('outbox_state_sent_idx').ifExists().execute();
  await db.schema.alterTable('nudge_sent').dropColumn('seen_at').execute();
  await db.schema.alterTable('outbox').dropColumn('progress_json').execute();
  await db.schema.alterTable('outbox').dropColumn('lease_token').execute();
}
