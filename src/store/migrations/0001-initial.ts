/**
 * 0001: every table of the design. Times are epoch ms in `bigint`, booleans
 * are integers 0/1, so both dialects read back the same values.
 */
import { sql, type CreateTableBuilder, type Kysely } from 'kysely';
import { dialectOf } from './dialect-of.ts';

type Table = CreateTableBuilder<string, never>;

/** `id` autoincrement primary key: `integer primary key autoincrement` on SQLite, `serial` on Postgres. */
function createWithId(db: Kysely<any>, name: string, options: { reuseIds?: boolean } = {}): Table {
  const table = db.schema.createTable(name);
  if (dialectOf(db) === 'postgres') return table.addColumn('id', 'serial', (c) => c.primaryKey());
  // `integer primary key` alone numbers rows too; AUTOINCREMENT also never reuses the id of
  // a deleted last row, at the cost of a sqlite_sequence write per insert
  return table.addColumn('id', 'integer', (c) => (options.reuseIds ? c.primaryKey() : c.primaryKey().autoIncrement()));
}

export async function up(db: Kysely<any>): Promise<void> {
  await createWithId(db, 'value_stream')
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('map_json', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await createWithId(db, 'work_item')
    .addColumn('stream_id', 'integer', (c) => c.notNull().references('value_stream.id').onDelete('cascade'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('parent_key', 'text')
    .addColumn('is_epic', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('outcome_owner', 'text')
    .addColumn('anticipated_outcome', 'text')
    .addColumn('actual_outcome', 'text')
    .addColumn('closed_at', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('work_item_stream_key_unique', ['stream_id', 'key'])
    .execute();

  // transitions are never referred to by id, and bulk imports write millions of them
  await createWithId(db, 'transition', { reuseIds: true })
    .addColumn('item_id', 'integer', (c) => c.notNull().references('work_item.id').onDelete('cascade'))
    .addColumn('from_status', 'text', (c) => c.notNull())
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    // unique on item+from+to+at; the columns are ordered (item_id, at, ...) so this one
    // index also serves "an item's transitions by time" — a second (item_id, at) index
    // would only slow bulk imports down.
    .addUniqueConstraint('transition_unique', ['item_id', 'at', 'from_status', 'to_status'])
    .execute();

  await createWithId(db, 'webhook_delivery')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('delivery_id', 'text', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('headers_json', 'text', (c) => c.notNull())
    .addColumn('raw_body', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .addColumn('processed_at', 'bigint')
    .addUniqueConstraint('webhook_delivery_unique', ['source', 'delivery_id'])
    .execute();
  await db.schema.createIndex('webhook_delivery_state_idx').on('webhook_delivery').column('state').execute();

  await createWithId(db, 'flow_event')
    .addColumn('stream_id', 'integer', (c) => c.notNull().references('value_stream.id').onDelete('cascade'))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('policy'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('flow_event_stream_at_idx').on('flow_event').columns(['stream_id', 'at']).execute();

  await createWithId(db, 'experiment')
    .addColumn('stream_id', 'integer', (c) => c.notNull().references('value_stream.id').onDelete('cascade'))
    .addColumn('policy', 'text', (c) => c.notNull())
    .addColumn('owner_role', 'text')
    .addColumn('measure', 'text')
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('review_on', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'bigint')
    .addColumn('event_id', 'integer')
    .execute();
  await db.schema
    .createIndex('experiment_one_open_per_stream')
    .on('experiment')
    .column('stream_id')
    .unique()
    .where(sql.ref('state'), '=', sql.lit('open'))
    .execute();

  await createWithId(db, 'nudge_sent')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('dedup_key', 'text', (c) => c.notNull().unique())
    .addColumn('sent_at', 'bigint', (c) => c.notNull())
    .execute();

  await createWithId(db, 'job_run')
    .addColumn('job', 'text', (c) => c.notNull())
    .addColumn('period_key', 'text', (c) => c.notNull())
    .addColumn('claimed_by', 'text', (c) => c.notNull())
    .addColumn('claimed_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('job_run_unique', ['job', 'period_key'])
    .execute();

  await createWithId(db, 'installation')
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('enterprise_id', 'text')
    .addColumn('data_encrypted', 'text', (c) => c.notNull())
    .addColumn('installed_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('installation_unique', ['platform', 'team_id'])
    .execute();

  await createWithId(db, 'channel_binding')
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('team_id', 'text')
    .addColumn('stream_id', 'integer', (c) => c.notNull().references('value_stream.id').onDelete('cascade'))
    .addColumn('timezone', 'text')
    .addColumn('checkin_day', 'text')
    .addColumn('checkin_time', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('channel_binding_unique', ['platform', 'channel_id'])
    .execute();

  await createWithId(db, 'outbox')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('payload_json', 'text', (c) => c.notNull())
    .addColumn('dedup_key', 'text', (c) => c.notNull().unique())
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('sent_at', 'bigint')
    .addColumn('error', 'text')
    .execute();
  await db.schema.createIndex('outbox_state_next_idx').on('outbox').columns(['state', 'next_attempt_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'outbox',
    'channel_binding',
    'installation',
    'job_run',
    'nudge_sent',
    'experiment',
    'flow_event',
    'webhook_delivery',
    'transition',
    'work_item',
    'value_stream',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
