/** What every vendor's backfill takes besides its own address and credentials, and what it returns. */
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { NormalizeOptions } from './normalize-options.ts';

export interface BackfillCommonOptions {
  db: Kysely<Database>;
  streamId: number;
  normalize?: NormalizeOptions;
  /** ignore a saved cursor and start from the first page */
  restart?: boolean;
  now?: () => number;
  /** items per page (tests make it small) */
  pageSize?: number;
  onProgress?: (done: number, total: number | null) => void;
  onWait?: (seconds: number, reason: string) => void;
  /** the environment variable the token came from, named when the tracker refuses it */
  tokenVariable?: string;
  /** waits ms (tests may shorten it); default setTimeout */
  sleep?: (ms: number) => Promise<void>;
}

export interface BackfillResult {
  pages: number;
  items: number;
  transitionsAdded: number;
  /** the run continued from a saved cursor */
  resumed: boolean;
  /** items skipped, each with the reason */
  skipped: { key: string; reason: string }[];
}
