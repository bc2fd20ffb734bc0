/**
 * `npm run bench scale`: the figures of issue 18 ("flat memory and fast answers as history
 * grows"): import at scale against a plain better-sqlite3 loader (./import-scale.ts), and the
 * answer time of /flow leadtime 90d at 10k and 100k items (./answer-scale.ts). `--only=import`
 * or `--only=answers` runs one of them.
 */
import { benchAnswerScale } from './answer-scale.ts';
import { benchImportScale } from './import-scale.ts';

export async function benchScale(): Promise<Record<string, number | string>> {
  const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
  return {
    ...(only === 'answers' ? {} : await benchImportScale()),
    ...(only === 'import' ? {} : await benchAnswerScale()),
  };
}
