/**
 * `npm run bench scale`: the figures of issue 18 ("flat memory and fast answers as history
 * grows"): import at scale against a plain better-sqlite3 loader (./import-scale.ts), and the
 * answer time of /flow leadtime 90d and the full report set at 10k, 100k and 1M items
 * (./answer-scale.ts), and the bot's memory with 10 streams of 100k items (./many-streams.ts).
 * `--only=import`, `--only=answers` or `--only=streams` runs one of them.
 */
import { benchAnswerScale } from './answer-scale.ts';
import { benchImportScale } from './import-scale.ts';
import { benchManyStreams } from './many-streams.ts';

export async function benchScale(): Promise<Record<string, number | string>> {
  const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
  const runs = (part: string) => only === undefined || only === part;
  return {
    ...(runs('import') ? await benchImportScale() : {}),
    ...(runs('answers') ? await benchAnswerScale() : {}),
    ...(runs('streams') ? await benchManyStreams() : {}),
  };
}
