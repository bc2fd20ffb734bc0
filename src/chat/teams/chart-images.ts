/**
 * Chart images for Teams cards. A card's Image points at an image URL served by this
 * bot (`GET /charts/chart.png?token=…`): the token is 32 random bytes (base64url), only its SHA-256 is stored, and the image
 * expires. Kept in the database so every replica behind a load balancer can serve it.
 *
 * Why a URL and not a data URI: our charts are rendered at 2x density (wider than 1024 px)
 * and often over 100 KB; Teams renders inline card images only up to 1024×1024 px and 1 MB,
 * and a base64 image inflates the message towards its size limit (413 MessageSizeTooBig).
 * An HTTPS URL has neither limit, works in channels, group chats and 1:1 chats, on desktop,
 * web and mobile, and is what Microsoft calls the most robust option.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.ts';
import type { TeamsTables } from '../../store/conversation-refs.ts';

/** Default lifetime of a chart image: 30 days, long enough for a thread to be reread. */
export const CHART_IMAGE_TTL_MS = 30 * 24 * 60 * 60 * 1000;

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Stores a PNG and returns the unguessable token that serves it until `now + ttlMs`. */
export async function saveChartImage(db: Kysely<Database>, png: Buffer, now: number, ttlMs: number = CHART_IMAGE_TTL_MS): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db
    .withTables<TeamsTables>()
    .insertInto('teams_chart_image')
    .values({ token_hash: hashToken(token), png, created_at: now, expires_at: now + ttlMs })
    .execute();
  return token;
}

/** The PNG of a token, or null when the token is malformed, unknown or expired. */
export async function loadChartImage(db: Kysely<Database>, token: string, now: number): Promise<Buffer | null> {
  if (!TOKEN_PATTERN.test(token)) return null;
  const row = await db
    .withTables<TeamsTables>()
    .selectFrom('teams_chart_image')
    .select(['png', 'expires_at'])
    .where('token_hash', '=', hashToken(token))
    .executeTakeFirst();
  if (!row || Number(row.expires_at) <= now) return null;
  return Buffer.from(row.png);
}

/** Deletes expired images; returns how many went (the daily retention job calls the same). */
export { deleteExpiredChartImages as pruneChartImages } from '../../store/retention.ts';

/** The public URL of a token: `<publicUrl>/charts/chart.png?token=<token>`. */
export function chartImageUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/charts/chart.png?token=${token}`;
}
