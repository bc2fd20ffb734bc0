/**
 * 0005: what the nudges and jobs keep beyond 0001.
 * - `job_run.finished_at`: a claim whose run never finished (the replica died) can be
 *   taken over once its lease has expired; a finished run is never repeated.
 * - `owner_mapping`: `/flow owner EMAIL @user`, the fallback that tells the bot which chat
 *   account an epic owner's e-mail belongs to on a platform.
 */
import type { Generated, Kysely } from 'kysely';
import { dialectOf } from './dialect-of.ts';

export interface OwnerMappingTable {
  id: Generated<number>;
  platform: string;
  /** lower-case e-mail (or tracker user ref) as the tracker reports the owner */
  email: string;
  /** the platform's user id (Slack U…, Teams AAD object id or 29:… id) */
  user_ref: string;
  created_at: number;
}

/** The tables and columns added by 0005, to intersect with the store's Database type. */
export interface NudgeTables {
  owner_mapping: OwnerMappingTable;
  job_run: {
    id: Generated<number>;
    job: string;
    period_key: string;
    claimed_by: string;
    claimed_at: number;
    finished_at: number | null;
  };
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('job_run').addColumn('finished_at', 'bigint').execute();
  const table = db.schema.createTable('owner_mapping');
  await (dialectOf(db) === 'postgres'
    ? table.addColumn('id', 'serial', (c) => c.primaryKey())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement()))
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('user_ref', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('owner_mapping_unique', ['platform', 'email'])
    .execute();
  await db.schema.createIndex('nudge_sent_kind_sent_idx').on('nudge_sent').columns(['kind', 'sent_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('nudge_sent_kind_sent_idx').ifExists().execute();
  await db.schema.dropTable('owner_mapping').ifExists().execute();
  await db.schema.alterTable('job_run').dropColumn('finished_at').execute();
}
