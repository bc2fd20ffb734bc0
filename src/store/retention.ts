/**
 * Retention: what the bot may forget, so that each table stays about the same size however
 * long it runs. Run once a day (src/jobs/retention-job.ts):
 * - a sent outbox row's payload (the text and the chart PNGs as base64) is dropped at once, and
 *   the row itself once it is older than the retention age (its dedup key has done its work:
 *   the nudge_sent keys and job_run claims keep nudges from repeating). Failed rows are kept
 *   whole, with their reason, to be looked at and sent again.
 * - Teams chart images past their expiry;
 * - processed webhook deliveries (done or ignored) older than the age: trackers redeliver
 *   within hours, not weeks. Failed and pending ones are kept.
 * - nudge_sent keys that no nudge has needed for the age: each nudge marks the keys it still
 *   relies on (touchNudgesSent: an item still aging, a signal still on the chart, an open epic),
 *   so only spent keys go.
 * - job_run claims of periods that can no longer come due: a job names how long one of its
 *   periods stays due (a day, the check-in's week), and its runs claimed before both the
 *   retention age and that (plus a day for time zones) go, but never the most recent run of a
 *   job. A job that names no period (an experiment's review, due while the experiment is open)
 *   keeps its runs: its claim is what keeps it from running again.
 * - finished command jobs (done or failed) older than the age: the answer was posted, or its
 *   response_url (30 minutes) is long gone.
 */
import type { Kysely } from 'kysely';
import type { TeamsTables } from './conversation-refs.ts';
import type { NudgeTables } from './migrations/0005_nudges.ts';
import type { Database } from './schema.ts';

const DAY = 86_400_000;
/** How long the bot keeps what it may forget, unless FLOW_NUDGE_RETENTION_DAYS says otherwise. */
export const DEFAULT_RETENTION_DAYS = 30;

export interface RetentionResult {
  outboxPayloadsDropped: number;
  outboxRowsDeleted: number;
  chartImagesDeleted: number;
  webhookDeliveriesDeleted: number;
  nudgeKeysDeleted: number;
  jobRunsDeleted: number;
  commandJobsDeleted: number;
}

/** A job whose job_run rows may go: one of its periods stays due at most `periodDays` days. */
export interface PrunableJob {
  job: string;
  periodDays: number;
}

const count = (result: { numDeletedRows?: bigint; numUpdatedRows?: bigint }): number => Number(result.numDeletedRows ?? result.numUpdatedRows ?? 0);

/** Deletes Teams chart images whose expiry has passed; returns how many went. */
export async function deleteExpiredChartImages(db: Kysely<Database>, now: number): Promise<number> {
  return count(await db.withTables<TeamsTables>().deleteFrom('teams_chart_image').where('expires_at', '<=', now).executeTakeFirst());
}

/**
 * Forgets what is older than `retentionDays` (and sent payloads at once).
 * @example await pruneRetained(db, { now: Date.now(), retentionDays: 30 }) // { outboxPayloadsDropped: 412, … }
 */
export async function pruneRetained(
  db: Kysely<Database>,
  options: { now: number; retentionDays: number; jobs?: readonly PrunableJob[] },
): Promise<RetentionResult> {
  const cutoff = options.now - options.retentionDays * DAY;
  const outboxRowsDeleted = count(await db.deleteFrom('outbox').where('state', '=', 'sent').where('sent_at', '<', cutoff).executeTakeFirst());
  const outboxPayloadsDropped = count(
    await db.updateTable('outbox').set({ payload_json: '' }).where('state', '=', 'sent').where('payload_json', '<>', '').executeTakeFirst(),
  );
  const chartImagesDeleted = await deleteExpiredChartImages(db, options.now);
  const webhookDeliveriesDeleted = count(
    await db.deleteFrom('webhook_delivery').where('state', 'in', ['done', 'ignored']).where('processed_at', '<', cutoff).executeTakeFirst(),
  );
  const nudgeKeysDeleted = count(
    await db
      .deleteFrom('nudge_sent')
      .where((eb) => eb.fn.coalesce('seen_at', 'sent_at'), '<', cutoff)
      .executeTakeFirst(),
  );
  let jobRunsDeleted = 0;
  for (const job of options.jobs ?? []) jobRunsDeleted += await deleteSpentJobRuns(db, job, options);
  const commandJobsDeleted = count(
    await db.deleteFrom('command_job').where('state', 'in', ['done', 'failed']).where('finished_at', '<', cutoff).executeTakeFirst(),
  );
  return { outboxPayloadsDropped, outboxRowsDeleted, chartImagesDeleted, webhookDeliveriesDeleted, nudgeKeysDeleted, jobRunsDeleted, commandJobsDeleted };
}

/**
 * Deletes a job's runs claimed before the cutoff: the retention age, and at least one period
 * and a day back, so no deleted claim is of a period still due. The job's most recent run stays.
 */
async function deleteSpentJobRuns(db: Kysely<Database>, job: PrunableJob, options: { now: number; retentionDays: number }): Promise<number> {
  const runs = (db as unknown as Kysely<Omit<Database, 'job_run'> & NudgeTables>);
  const cutoff = options.now - Math.max(options.retentionDays, Math.ceil(job.periodDays) + 1) * DAY;
  const latest = await runs.selectFrom('job_run').select((eb) => eb.fn.max('claimed_at').as('at')).where('job', '=', job.job).executeTakeFirst();
  if (latest?.at === null || latest?.at === undefined) return 0;
  const before = Math.min(cutoff, Number(latest.at));
  return count(await runs.deleteFrom('job_run').where('job', '=', job.job).where('claimed_at', '<', before).executeTakeFirst());
}
