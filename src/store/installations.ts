import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

/** One chat-platform installation as stored: the secret data is already encrypted by the caller. */
export interface InstallationRow {
  platform: string;
  /** team id, or the enterprise id for an org-wide install */
  teamId: string;
  enterpriseId: string | null;
  dataEncrypted: string;
  installedAt: number;
}

function toRow(r: { platform: string; team_id: string; enterprise_id: string | null; data_encrypted: string; installed_at: number }): InstallationRow {
  return { platform: r.platform, teamId: r.team_id, enterpriseId: r.enterprise_id, dataEncrypted: r.data_encrypted, installedAt: Number(r.installed_at) };
}

/** Inserts or replaces the installation of (platform, teamId): a reinstall or a token refresh overwrites. */
export async function saveInstallation(db: Kysely<Database>, row: InstallationRow): Promise<void> {
  await db
    .insertInto('installation')
    .values({ platform: row.platform, team_id: row.teamId, enterprise_id: row.enterpriseId, data_encrypted: row.dataEncrypted, installed_at: row.installedAt })
    .onConflict((oc) =>
      oc.columns(['platform', 'team_id']).doUpdateSet({ enterprise_id: row.enterpriseId, data_encrypted: row.dataEncrypted, installed_at: row.installedAt }),
    )
    .execute();
}

export async function getInstallation(db: Kysely<Database>, platform: string, teamId: string): Promise<InstallationRow | null> {
  const row = await db.selectFrom('installation').selectAll().where('platform', '=', platform).where('team_id', '=', teamId).executeTakeFirst();
  return row ? toRow(row) : null;
}

/**
 * Deletes the installation; with `installedBefore`, only when it was installed before that
 * instant (an uninstall event that arrives after a quick reinstall leaves the new one alone).
 * Returns how many rows went.
 */
export async function deleteInstallation(db: Kysely<Database>, platform: string, teamId: string, options: { installedBefore?: number } = {}): Promise<number> {
  let query = db.deleteFrom('installation').where('platform', '=', platform).where('team_id', '=', teamId);
  if (options.installedBefore !== undefined) query = query.where('installed_at', '<', options.installedBefore);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows ?? 0);
}

export async function listInstallations(db: Kysely<Database>, platform: string): Promise<InstallationRow[]> {
  const rows = await db.selectFrom('installation').selectAll().where('platform', '=', platform).orderBy('team_id').execute();
  return rows.map(toRow);
}
