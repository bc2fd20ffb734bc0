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
 */
import type { Kysely } from 'kysely';
import type { TeamsTables } from './conversation-refs.ts';
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
export async function pruneRetained(db: Kysely<Database>, options: { now: number; retentionDays: number }): Promise<RetentionResult> {
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
  return { outboxPayloadsDropped, outboxRowsDeleted, chartImagesDeleted, webhookDeliveriesDeleted, nudgeKeysDeleted };
}
