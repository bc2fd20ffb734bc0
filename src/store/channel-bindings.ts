/**
 * The channel binding repository: which value stream a chat channel talks
 * about, and when its weekly check-in happens.
 */
import type { Kysely, Selectable } from 'kysely';
import type { ChannelBindingTable, Database } from './schema.ts';

export interface ChannelBinding {
  id: number;
  platform: string;
  channelId: string;
  teamId: string | null;
  streamId: number;
  /** IANA time zone of the check-in; null: the stream's */
  timezone: string | null;
  /** e.g. 'monday'; null: no weekly check-in */
  checkinDay: string | null;
  /** HH:MM */
  checkinTime: string | null;
  createdAt: number;
}

export type BindingInput = Omit<ChannelBinding, 'id' | 'createdAt' | 'teamId' | 'timezone' | 'checkinDay' | 'checkinTime'> &
  Partial<Pick<ChannelBinding, 'teamId' | 'timezone' | 'checkinDay' | 'checkinTime'>>;

/**
 * Binds a channel to a stream; binding it again replaces the stream and the
 * check-in settings given (settings left undefined are kept). Returns the binding.
 */
export async function bindChannel(db: Kysely<Database>, input: BindingInput, now: number = Date.now()): Promise<ChannelBinding> {
  const settings = {
    stream_id: input.streamId,
    ...(input.teamId !== undefined && { team_id: input.teamId }),
    ...(input.timezone !== undefined && { timezone: input.timezone }),
    ...(input.checkinDay !== undefined && { checkin_day: input.checkinDay }),
    ...(input.checkinTime !== undefined && { checkin_time: input.checkinTime }),
  };
  await db
    .insertInto('channel_binding')
    .values({
      platform: input.platform,
      channel_id: input.channelId,
      team_id: input.teamId ?? null,
      stream_id: input.streamId,
      timezone: input.timezone ?? null,
      checkin_day: input.checkinDay ?? null,
      checkin_time: input.checkinTime ?? null,
      created_at: now,
    })
    .onConflict((oc) => oc.columns(['platform', 'channel_id']).doUpdateSet(settings))
    .execute();
  return (await getBinding(db, input.platform, input.channelId))!;
}

/** The binding of a channel, or null when the channel is not bound. */
export async function getBinding(db: Kysely<Database>, platform: string, channelId: string): Promise<ChannelBinding | null> {
  const row = await db
    .selectFrom('channel_binding')
    .selectAll()
    .where('platform', '=', platform)
    .where('channel_id', '=', channelId)
    .executeTakeFirst();
  return row ? toBinding(row) : null;
}

/** Every binding, optionally of one stream. */
export async function listBindings(db: Kysely<Database>, options: { streamId?: number } = {}): Promise<ChannelBinding[]> {
  let query = db.selectFrom('channel_binding').selectAll().orderBy('id');
  if (options.streamId !== undefined) query = query.where('stream_id', '=', options.streamId);
  return (await query.execute()).map(toBinding);
}

/** Removes a channel's binding. Returns false when it was not bound. */
export async function unbindChannel(db: Kysely<Database>, platform: string, channelId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('channel_binding')
    .where('platform', '=', platform)
    .where('channel_id', '=', channelId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

function toBinding(row: Selectable<ChannelBindingTable>): ChannelBinding {
  return {
    id: row.id,
    platform: row.platform,
    channelId: row.channel_id,
    teamId: row.team_id,
    streamId: row.stream_id,
    timezone: row.timezone,
    checkinDay: row.checkin_day,
    checkinTime: row.checkin_time,
    createdAt: Number(row.created_at),
  };
}
