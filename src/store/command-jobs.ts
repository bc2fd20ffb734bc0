/**
 * Durable command jobs (table command_job, migration 0007): the work behind a slash command
 * that was acknowledged with "Working on…". Written before the acknowledgement; claimed with a
 * lease by whichever replica is free; only the lease holder may renew it or mark it finished.
 * A job whose holder died is claimed again once its lease ends.
 */
import type { Kysely } from 'kysely';
import { changed, claimLeases, heldRow, releaseLeases, type LeaseQueue } from './leases.ts';
import type { Database } from './schema.ts';

/** command_job as a lease queue: a held job is `running` until `lease_until`. */
const COMMAND_JOB_QUEUE: LeaseQueue<'command_job'> = { table: 'command_job', untilColumn: 'lease_until', waiting: 'pending', held: 'running' };

export interface CommandJob {
  id: number;
  platform: string;
  payloadJson: string;
  attempts: number;
  createdAt: number;
  leaseToken: string;
}

export type CommandJobLease = Pick<CommandJob, 'id' | 'leaseToken'>;

export async function enqueueCommandJob(db: Kysely<Database>, job: { platform: string; payloadJson: string; now: number }): Promise<number> {
  const row = await db
    .insertInto('command_job')
    .values({ platform: job.platform, payload_json: job.payloadJson, created_at: job.now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Claims up to `limit` jobs that are pending, or running under a lease that has ended. */
export async function claimCommandJobs(
  db: Kysely<Database>,
  options: { now: number; leaseMs: number; limit: number; platform: string },
): Promise<CommandJob[]> {
  const rows = await claimLeases(db, COMMAND_JOB_QUEUE, {
    now: options.now,
    leaseMs: options.leaseMs,
    limit: options.limit,
    orderBy: ['id'],
    where: (due) => due.where('platform', '=', options.platform),
  });
  return rows
    .map((r) => ({ id: Number(r.id), platform: r.platform, payloadJson: r.payload_json, attempts: Number(r.attempts), createdAt: Number(r.created_at), leaseToken: String(r.lease_token) }))
    .sort((a, b) => a.id - b.id);
}

const held = (db: Kysely<Database>, lease: CommandJobLease) => heldRow(db, COMMAND_JOB_QUEUE, lease);

/** Extends the lease while the work runs; false when the job is no longer ours. */
export async function renewCommandJob(db: Kysely<Database>, lease: CommandJobLease, leaseUntil: number): Promise<boolean> {
  return changed(await held(db, lease).set({ lease_until: leaseUntil }).executeTakeFirst());
}

/** The answer was posted (done) or cannot be (failed, with the reason); false when not ours. */
export async function finishCommandJob(db: Kysely<Database>, lease: CommandJobLease, outcome: { at: number; error?: string }): Promise<boolean> {
  const state = outcome.error === undefined ? 'done' : 'failed';
  return changed(await held(db, lease).set({ state, finished_at: outcome.at, error: outcome.error ?? null, lease_token: null }).executeTakeFirst());
}

/** Gives held jobs back at shutdown: another replica (or this one after a restart) runs them at once. Returns how many went back. */
export async function releaseCommandJobs(db: Kysely<Database>, leases: readonly CommandJobLease[]): Promise<number> {
  return releaseLeases(db, COMMAND_JOB_QUEUE, leases, 0);
}

export async function countCommandJobs(db: Kysely<Database>): Promise<Record<string, number>> {
  const rows = await db.selectFrom('command_job').select(['state', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('state').execute();
  return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
}
