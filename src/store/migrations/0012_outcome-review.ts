/**
 * 0012: outcomes timed and tied to their key result (issue 17).
 * - `work_item.actual_outcome_at`: when the actual outcome (the review at close) was recorded, so
 *   time to outcome (creation → review) can be counted. Outcomes recorded before this migration
 *   take the epic's close (else its last update) as the best time known.
 * - `work_item.key_result`: the parent OKR / key result an anticipated outcome serves (optional).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('work_item').addColumn('actual_outcome_at', 'bigint').execute();
  await db.schema.alterTable('work_item').addColumn('key_result', 'text').execute();
  await sql`update work_item set actual_outcome_at = coalesce(closed_at, updated_at) where actual_outcome is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('work_item').dropColumn('key_result').execute();
  await db.schema.alterTable('work_item').dropColumn('actual_outcome_at').execute();
}
