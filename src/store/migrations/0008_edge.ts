/**
 * 0008: the webhook inbox at the server's edge.
 * - `webhook_delivery.retry_at`: when a delivery that failed for a passing reason (a lost
 *   connection, a lock) is due again. A failed delivery without one failed for good (its
 *   content can never be applied, or it ran out of attempts): it waits for a person
 *   (`flow-nudge deliveries --failed`, `--retry`), and never again for the processor, so it
 *   cannot hold back the deliveries after it.
 * - Stored headers lose the signatures and tokens older versions kept (X-Hub-Signature,
 *   X-Hub-Signature-256, Linear-Signature): a copy of the database cannot replay them.
 */
import { sql, type Kysely } from 'kysely';

const SIGNATURE_HEADERS = ['x-hub-signature', 'x-hub-signature-256', 'linear-signature', 'authorization', 'x-gitlab-token', 'cookie'];

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('webhook_delivery').addColumn('retry_at', 'bigint').execute();
  // Failed rows with attempts left were due 2^attempts s after their last try: due now.
  await db
    .updateTable('webhook_delivery')
    .set({ retry_at: sql`coalesce(processed_at, received_at)` })
    .where('state', '=', 'failed')
    .where('attempts', '<', 5)
    .execute();
  await db.schema.createIndex('webhook_delivery_retry_idx').on('webhook_delivery').columns(['state', 'retry_at']).execute();

  let after = 0;
  for (;;) {
    const rows = await db
      .selectFrom('webhook_delivery')
      .select(['id', 'headers_json'])
      .where('id', '>', after)
      .where((eb) => eb.or(SIGNATURE_HEADERS.map((name) => eb('headers_json', 'like', `%"${name}"%`))))
      .orderBy('id')
      .limit(500)
      .execute();
    if (rows.length === 0) break;
    for (const row of rows) {
      const headers = JSON.parse(row.headers_json) as Record<string, string>;
      for (const name of SIGNATURE_HEADERS) delete headers[name];
      await db.updateTable('webhook_delivery').set({ headers_json: JSON.stringify(headers) }).where('id', '=', row.id).execute();
    }
    after = Number(rows[rows.length - 1].id);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('webhook_delivery_retry_idx').ifExists().execute();
  await db.schema.alterTable('webhook_delivery').dropColumn('retry_at').execute();
}
