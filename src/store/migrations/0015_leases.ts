/**
 * 0015: indexes for the retention of job_run and command_job (src/store/retention.ts): the
 * daily job deletes a job's runs claimed before a cutoff, and finished command jobs, by range.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('job_run_job_claimed_idx').on('job_run').columns(['job', 'claimed_at']).execute();
  await db.schema.createIndex('command_job_state_finished_idx').on('command_job').columns(['state', 'finished_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('command_job_state_finished_idx').ifExists().execute();
  await db.schema.dropIndex('job_run_job_claimed_idx').ifExists().execute();
}
