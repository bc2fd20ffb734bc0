/**
 * The Teams conversation reference repository: where the bot is installed (a team's
 * channel, a group chat, a personal chat) and the reference needed to post there later
 * with the adapter's continue-conversation call. Nudges read it; the Teams adapter writes it
 * on install and on every activity, and marks it stale when Teams says the bot is gone.
 *
 * The table is created by migration 0004 and typed here (`TeamsTables`) so that
 * `schema.ts` stays the foundation's.
 */
import type { Generated, Kysely, Selectable } from 'kysely';
import type { Database } from './schema.ts';

export type TeamsConversationRefTable = {
  id: Generated<number>;
  conversation_id: string;
  tenant_id: string;
  /** 'personal' | 'groupChat' | 'channel' */
  conversation_type: string;
  team_id: string | null;
  channel_id: string | null;
  /** the Teams user id (29:…) of a personal chat; null for channels and group chats */
  user_id: string | null;
  user_aad_id: string | null;
  service_url: string;
  /** the ConversationReference as JSON, exactly as the SDK produced it */
  reference_json: string;
  installed_at: number;
  updated_at: number;
  stale_at: number | null;
  stale_reason: string | null;
}

export type TeamsChartImageTable = {
  token_hash: string;
  png: Buffer;
  created_at: number;
  expires_at: number;
}

/** The tables of migration 0004, for `db.withTables<TeamsTables>()`. */
export type TeamsTables = {
  teams_conversation_ref: TeamsConversationRefTable;
  teams_chart_image: TeamsChartImageTable;
}

export type TeamsConversationType = 'personal' | 'groupChat' | 'channel';

/** A stored conversation reference. `reference` is the SDK's ConversationReference object. */
export interface ConversationRef {
  conversationId: string;
  tenantId: string;
  conversationType: TeamsConversationType;
  teamId: string | null;
  channelId: string | null;
  userId: string | null;
  userAadId: string | null;
  serviceUrl: string;
  reference: Record<string, unknown>;
  installedAt: number;
  updatedAt: number;
  /** set when a post got 403/404 (the bot was removed or blocked); such refs are not used */
  staleAt: number | null;
  staleReason: string | null;
}

export type ConversationRefInput = Omit<ConversationRef, 'installedAt' | 'updatedAt' | 'staleAt' | 'staleReason'>;

function teamsDb(db: Kysely<Database>): Kysely<Database & TeamsTables> {
  return db.withTables<TeamsTables>();
}

function toRef(r: Selectable<TeamsConversationRefTable>): ConversationRef {
  return {
    conversationId: r.conversation_id,
    tenantId: r.tenant_id,
    conversationType: r.conversation_type as TeamsConversationType,
    teamId: r.team_id,
    channelId: r.channel_id,
    userId: r.user_id,
    userAadId: r.user_aad_id,
    serviceUrl: r.service_url,
    reference: JSON.parse(r.reference_json) as Record<string, unknown>,
    installedAt: Number(r.installed_at),
    updatedAt: Number(r.updated_at),
    staleAt: r.stale_at === null ? null : Number(r.stale_at),
    staleReason: r.stale_reason,
  };
}

/**
 * Inserts or refreshes the reference of a conversation (keyed by conversation id). A refresh
 * keeps `installedAt`, replaces the reference and service URL (Teams may move a tenant to
 * another regional serviceUrl), and clears a stale mark: the bot was evidently reachable.
 */
export async function saveConversationRef(db: Kysely<Database>, input: ConversationRefInput, now: number): Promise<ConversationRef> {
  const values = {
    tenant_id: input.tenantId,
    conversation_type: input.conversationType,
    team_id: input.teamId,
    channel_id: input.channelId,
    user_id: input.userId,
    user_aad_id: input.userAadId,
    service_url: input.serviceUrl,
    reference_json: JSON.stringify(input.reference),
    updated_at: now,
    stale_at: null,
    stale_reason: null,
  };
  await teamsDb(db)
    .insertInto('teams_conversation_ref')
    .values({ conversation_id: input.conversationId, installed_at: now, ...values })
    .onConflict((oc) => oc.column('conversation_id').doUpdateSet(values))
    .execute();
  return (await getConversationRef(db, input.conversationId))!;
}

/** The reference of one conversation, or null when the bot was never there (or was removed). */
export async function getConversationRef(db: Kysely<Database>, conversationId: string): Promise<ConversationRef | null> {
  const row = await teamsDb(db).selectFrom('teams_conversation_ref').selectAll().where('conversation_id', '=', conversationId).executeTakeFirst();
  return row ? toRef(row) : null;
}

/** Every usable (not stale) reference, optionally of one tenant and/or one kind, oldest install first. */
export async function listConversationRefs(
  db: Kysely<Database>,
  filter: { tenantId?: string; conversationType?: TeamsConversationType; includeStale?: boolean } = {},
): Promise<ConversationRef[]> {
  let query = teamsDb(db).selectFrom('teams_conversation_ref').selectAll();
  if (filter.tenantId !== undefined) query = query.where('tenant_id', '=', filter.tenantId);
  if (filter.conversationType !== undefined) query = query.where('conversation_type', '=', filter.conversationType);
  if (!filter.includeStale) query = query.where('stale_at', 'is', null);
  const rows = await query.orderBy('installed_at').orderBy('id').execute();
  return rows.map(toRef);
}

/**
 * The personal (1:1) chat with a user in a tenant, found by Teams user id (29:…) or Entra
 * object id; null when the bot has no 1:1 chat with them yet (open one with openDirectChat).
 */
export async function findPersonalConversationRef(
  db: Kysely<Database>,
  tenantId: string,
  user: { userId?: string; aadObjectId?: string },
): Promise<ConversationRef | null> {
  if (!user.userId && !user.aadObjectId) return null;
  let query = teamsDb(db)
    .selectFrom('teams_conversation_ref')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('conversation_type', '=', 'personal')
    .where('stale_at', 'is', null);
  query = query.where((eb) =>
    eb.or([
      ...(user.userId ? [eb('user_id', '=', user.userId)] : []),
      ...(user.aadObjectId ? [eb('user_aad_id', '=', user.aadObjectId)] : []),
    ]),
  );
  const row = await query.orderBy('updated_at', 'desc').executeTakeFirst();
  return row ? toRef(row) : null;
}

/** Marks a reference unusable (Teams answered 403 MessageWritesBlocked or 404 on a post). */
export async function markConversationRefStale(db: Kysely<Database>, conversationId: string, reason: string, now: number): Promise<void> {
  await teamsDb(db)
    .updateTable('teams_conversation_ref')
    .set({ stale_at: now, stale_reason: reason })
    .where('conversation_id', '=', conversationId)
    .execute();
}

/**
 * Deletes a reference (the app was uninstalled from that team or chat). With `updatedBefore`,
 * only when it was not refreshed since (an uninstall that arrives after a quick reinstall
 * leaves the new install alone). Returns how many rows went.
 */
export async function deleteConversationRef(db: Kysely<Database>, conversationId: string, options: { updatedBefore?: number } = {}): Promise<number> {
  let query = teamsDb(db).deleteFrom('teams_conversation_ref').where('conversation_id', '=', conversationId);
  if (options.updatedBefore !== undefined) query = query.where('updated_at', '<=', options.updatedBefore);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows ?? 0);
}
