/**
 * 0004: the Microsoft Teams adapter's tables.
 * - `teams_conversation_ref`: the conversation reference of every team, group chat and
 *   personal chat the bot is installed in, for proactive posts (nudges) and 1:1 chats.
 * - `teams_chart_image`: chart PNGs served to Teams at `GET /charts/<token>.png`; only the
 *   SHA-256 of the token is stored, and every image expires.
 */
import type { Kysely } from 'kysely';
import { dialectOf } from './dialect-of.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const postgres = dialectOf(db) === 'postgres';
  const withId = db.schema.createTable('teams_conversation_ref');
  await (postgres
    ? withId.addColumn('id', 'serial', (c) => c.primaryKey())
    : withId.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement()))
    .addColumn('conversation_id', 'text', (c) => c.notNull().unique())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('conversation_type', 'text', (c) => c.notNull())
    .addColumn('team_id', 'text')
    .addColumn('channel_id', 'text')
    .addColumn('user_id', 'text')
    .addColumn('user_aad_id', 'text')
    .addColumn('service_url', 'text', (c) => c.notNull())
    .addColumn('reference_json', 'text', (c) => c.notNull())
    .addColumn('installed_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('stale_at', 'bigint')
    .addColumn('stale_reason', 'text')
    .execute();
  await db.schema.createIndex('teams_conversation_ref_tenant_idx').on('teams_conversation_ref').columns(['tenant_id', 'conversation_type']).execute();

  await db.schema
    .createTable('teams_chart_image')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('png', postgres ? 'bytea' : 'blob', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('teams_chart_image_expires_idx').on('teams_chart_image').column('expires_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('teams_chart_image').ifExists().execute();
  await db.schema.dropTable('teams_conversation_ref').ifExists().execute();
}
