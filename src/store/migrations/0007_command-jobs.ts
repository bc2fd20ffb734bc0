/**
 * 0007: durable slash-command work. A command answered "Working on…" is a `command_job` row
 * before the acknowledgement goes out; any replica claims it (a lease with a token, renewed
 * while the work runs), posts the answer and marks it done. A crash or redeploy leaves the row
 * to the next holder, so the promised answer still arrives (Slack's response_url lives 30 min).
 */
import type { Kysely } from 'kysely';
import { dialectOf } from './dialect-of.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const table = db.schema.createTable('command_job');
  await (dialectOf(db) === 'postgres' ? table.addColumn('id', 'serial', (c) => c.primaryKey()) : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement()))
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('payload_json', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lease_token', 'text')
    .addColumn('lease_until', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .addColumn('error', 'text')
    .execute();
  await db.schema.createIndex('command_job_state_lease_idx').on('command_job').columns(['state', 'lease_until']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('command_job').ifExists().execute();
}
