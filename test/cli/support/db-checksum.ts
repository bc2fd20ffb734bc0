import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';

/** A checksum of every row of every table of a SQLite database URL (file:PATH): equal when nothing changed. */
export function databaseChecksum(url: string): string {
  const db = new Database(url.replace(/^file:/, ''), { readonly: true, fileMustExist: true });
  try {
    const hash = createHash('sha256');
    const tables = db.prepare("select name from sqlite_master where type = 'table' order by name").all() as { name: string }[];
    for (const { name } of tables) {
      hash.update(`\u0000${name}\u0000`);
      for (const row of db.prepare(`select * from "${name}" order by 1`).all()) hash.update(JSON.stringify(row));
    }
    return hash.digest('hex');
  } finally {
    db.close();
  }
}
