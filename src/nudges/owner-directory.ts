/**
 * Which chat account an epic owner is: the `/flow owner EMAIL @user` mappings (owner_mapping,
 * migration 0005), else the owner's e-mail handed to the platform's deliverer, which looks it up
 * (Slack users.lookupByEmail; Teams through the roster / stored conversation refs).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { NudgeTables } from '../store/migrations/0005_nudges.ts';
import { directTargetSchema, isNudgePlatform, type DirectTarget } from './nudge-target.ts';

type Db = Kysely<Database & Pick<NudgeTables, 'owner_mapping'>>;
const asDb = (db: Kysely<Database>): Db => db as unknown as Db;

/** Records (or replaces) which user an owner e-mail is on a platform. */
export async function setOwnerMapping(db: Kysely<Database>, platform: string, email: string, userRef: string, now: number): Promise<void> {
  const values = { platform, email: email.trim().toLowerCase(), user_ref: userRef, created_at: now };
  await asDb(db)
    .insertInto('owner_mapping')
    .values(values)
    .onConflict((oc) => oc.columns(['platform', 'email']).doUpdateSet({ user_ref: userRef, created_at: now }))
    .execute();
}

/** The mapped user of an owner e-mail on each platform that has one. */
export async function findOwnerMappings(db: Kysely<Database>, email: string): Promise<{ platform: string; userRef: string }[]> {
  const rows = await asDb(db)
    .selectFrom('owner_mapping')
    .select(['platform', 'user_ref'])
    .where('email', '=', email.trim().toLowerCase())
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ platform: r.platform, userRef: r.user_ref }));
}

/**
 * Where to DM an owner, among the platforms the stream's channels are on (in binding order):
 * a platform with a mapping wins; else the first platform, addressed by the owner's e-mail.
 * Null when the stream has no channel anywhere, or the owner is no e-mail and has no mapping.
 * @example await resolveOwnerTarget(db, 'ana@example.com', ['slack']) // { platform: 'slack', userRef: 'ana@example.com' }
 */
export async function resolveOwnerTarget(db: Kysely<Database>, owner: string, platforms: readonly string[]): Promise<DirectTarget | null> {
  const usable = platforms.filter(isNudgePlatform);
  if (usable.length === 0) return null;
  const mappings = await findOwnerMappings(db, owner);
  for (const platform of usable) {
    const mapped = mappings.find((m) => m.platform === platform);
    if (mapped) return directTargetSchema.parse({ platform, userRef: mapped.userRef });
  }
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(owner.trim())) return null;
  return directTargetSchema.parse({ platform: usable[0], userRef: owner.trim().toLowerCase() });
}
