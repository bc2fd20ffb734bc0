/**
 * The job run repository: a scheduled job claims its period (job + period key) by inserting a
 * `job_run` row. The unique index decides between replicas racing for the same period; the
 * loser reads the row again (as kysely does for its migration lock) and skips.
 *
 * A claim that never finished (its replica died mid-run) may be taken over after `leaseMs`;
 * a finished period is never run again. Jobs are idempotent (every nudge has a dedup key),
 * so a takeover that repeats part of a run posts nothing twice.
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import type { NudgeTables } from './migrations/0005_nudges.ts';

type Db = Kysely<Omit<Database, 'job_run'> & NudgeTables>;
const asDb = (db: Kysely<Database>): Db => db as unknown as Db;

export interface JobRun {
  job: string;
  periodKey: string;
  claimedBy: string;
  claimedAt: number;
  finishedAt: number | null;
}

export type ClaimResult = { claimed: true; takeover: boolean } | { claimed: false; holder: JobRun };

/** 15 minutes: longer than any job takes, short enough that a dead replica's period still runs. */
export const DEFAULT_LEASE_MS = 15 * 60_000;

function toRun(row: { job: string; period_key: string; claimed_by: string; claimed_at: number; finished_at: number | null }): JobRun {
  return {
    job: row.job,
    periodKey: row.period_key,
    claimedBy: row.claimed_by,
    claimedAt: Number(row.claimed_at),
    finishedAt: row.finished_at === null ? null : Number(row.finished_at),
  };
}

/** The run of a job's period, or null when nobody claimed it. */
export async function getJobRun(db: Kysely<Database>, job: string, periodKey: string): Promise<JobRun | null> {
  const row = await asDb(db).selectFrom('job_run').selectAll().where('job', '=', job).where('period_key', '=', periodKey).executeTakeFirst();
  return row ? toRun(row) : null;
}

/**
 * Claims a job's period for `claimedBy`. Exactly one caller wins per period, also across
 * processes on one Postgres. An unfinished claim older than `leaseMs` is taken over (one
 * conditional update, so again only one winner).
 * @example
 * const claim = await claimJobRun(db, 'checkin', 'slack:C1:2026-W44', 'replica-a', now);
 * if (claim.claimed) { await run(); await finishJobRun(db, 'checkin', 'slack:C1:2026-W44', 'replica-a', now); }
 */
export async function claimJobRun(
  db: Kysely<Database>,
  job: string,
  periodKey: string,
  claimedBy: string,
  now: number,
  leaseMs: number = DEFAULT_LEASE_MS,
): Promise<ClaimResult> {
  const inserted = await asDb(db)
    .insertInto('job_run')
    .values({ job, period_key: periodKey, claimed_by: claimedBy, claimed_at: now, finished_at: null })
    .onConflict((oc) => oc.columns(['job', 'period_key']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { claimed: true, takeover: false };
  const holder = await getJobRun(db, job, periodKey);
  if (!holder) {
    throw new Error(`job_run ${job}/${periodKey} conflicted on insert but cannot be read back: check the job_run_unique index of migration 0001.`);
  }
  if (holder.finishedAt === null && holder.claimedAt < now - leaseMs && holder.claimedBy !== claimedBy) {
    const taken = await asDb(db)
      .updateTable('job_run')
      .set({ claimed_by: claimedBy, claimed_at: now })
      .where('job', '=', job)
      .where('period_key', '=', periodKey)
      .where('claimed_by', '=', holder.claimedBy)
      .where('claimed_at', '=', holder.claimedAt)
      .where('finished_at', 'is', null)
      .executeTakeFirst();
    if (Number(taken.numUpdatedRows) === 1) return { claimed: true, takeover: true };
    return { claimed: false, holder: (await getJobRun(db, job, periodKey)) ?? holder };
  }
  return { claimed: false, holder };
}

/** Marks a claimed period as done, so it is never taken over. */
export async function finishJobRun(db: Kysely<Database>, job: string, periodKey: string, claimedBy: string, now: number): Promise<void> {
  await asDb(db)
    .updateTable('job_run')
    .set({ finished_at: now })
    .where('job', '=', job)
    .where('period_key', '=', periodKey)
    .where('claimed_by', '=', claimedBy)
    .execute();
}

/** Every run of a job (or of all jobs), oldest claim first: for tests and `/healthz`-style reports. */
export async function listJobRuns(db: Kysely<Database>, job?: string): Promise<JobRun[]> {
  let query = asDb(db).selectFrom('job_run').selectAll().orderBy('claimed_at').orderBy('id');
  if (job !== undefined) query = query.where('job', '=', job);
  return (await query.execute()).map(toRun);
}
