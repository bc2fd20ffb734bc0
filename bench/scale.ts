/**
 * `npm run bench scale`: the figures of issue 18 ("flat memory and fast answers as history
 * grows"). So far: import at scale against a plain better-sqlite3 loader (./import-scale.ts).
 */
import { benchImportScale } from './import-scale.ts';

export async function benchScale(): Promise<Record<string, number | string>> {
  return { ...(await benchImportScale()) };
}
