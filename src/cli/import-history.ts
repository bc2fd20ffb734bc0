/**
 * Imports one history file into a value stream: the whole of `flow-nudge import` after the
 * options are read, so a test can import thousands of generated files in one process. The file
 * is read and stored piece by piece in one transaction, so memory does not grow with the file; a
 * file with any bad row is refused whole (ImportError, every bad row with its line) and the
 * transaction rolled back. A map that differs from the stored one, or an unknown stream, is a
 * CliError; nothing is stored then.
 */
import type { StreamMap, WorkItem } from '../core/types.ts';
import { createJiraCsvReader } from '../import/jira-csv.ts';
import { parseJiraJson } from '../import/jira-json.ts';
import { createTransitionsCsvReader } from '../import/transitions-csv.ts';
import type { ImportReadOptions, ImportReader } from '../import/import-error.ts';
import { releaseMemory } from '../jobs/release-memory.ts';
import type { Store } from '../store/database.ts';
import { getStream, saveStream } from '../store/value-streams.ts';
import { withImportTransaction, type ImportResult, type ImportWriter } from '../store/work-item-import.ts';
import { mapDifferences } from '../workflow/map-diff.ts';
import { createStatusIndex } from '../workflow/status-index.ts';
import { CliError } from './context.ts';
import { readTextPieces, type TextPieces } from './read-text-pieces.ts';

export const IMPORT_FORMATS = ['transitions-csv', 'jira-csv', 'jira-json'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

const CSV_READERS: Record<Exclude<ImportFormat, 'jira-json'>, (fileName: string, options: ImportReadOptions) => ImportReader> = {
  'transitions-csv': createTransitionsCsvReader,
  'jira-csv': createJiraCsvReader,
};

/** Items of a whole-file format (Jira JSON) go to the store in batches of about this many transitions. */
const BATCH_TRANSITIONS = 10_000;

/**
 * A full garbage collection after each this many bytes of the file (when the launcher's
 * --expose-gc allows it, src/jobs/release-memory.ts). Each stored row leaves a little garbage
 * that outlives the young generation, and V8 lets that grow with the file before it collects;
 * measured by `npm run bench scale` on a million transitions: peak RSS 313 MB without, 177 every
 * 8 MiB (16 MiB: 189 MB), for about 0.3 s.
 */
const COLLECT_EVERY_BYTES = 8 * 1_048_576;

/** The format of a file by its name and first line. */
export function guessImportFormat(fileName: string, text: string): ImportFormat {
  if (fileName.toLowerCase().endsWith('.json')) return 'jira-json';
  return /^\uFEFF?key,type,title/i.test(text) ? 'transitions-csv' : 'jira-csv';
}

export interface ImportHistoryInput {
  /** the file's text; or give `path` to read the file piece by piece */
  text?: string;
  path?: string;
  /** the file's name, in messages */
  fileName: string;
  stream: string;
  format?: ImportFormat;
  /** the map given with --workflow (named after the stream) and its file name */
  givenMap?: { map: StreamMap; fileName: string };
  replaceMap?: boolean;
  /** transitions read so far, and the total expected (estimated from the share of the file read) */
  onProgress?: (done: number, total: number) => void;
}

export interface ImportHistoryResult extends ImportResult {
  format: ImportFormat;
  items: number;
  transitionsRead: number;
}

export async function importHistory(store: Store, input: ImportHistoryInput): Promise<ImportHistoryResult> {
  const pieces = readTextPieces(input);
  const format = input.format ?? guessImportFormat(input.fileName, await pieces.head());
  const existing = await getStream(store.db, input.stream);
  let map: StreamMap;
  let mapFile: string;
  if (input.givenMap) {
    map = input.givenMap.map;
    mapFile = input.givenMap.fileName;
    const differences = existing ? mapDifferences(existing.map, map) : [];
    if (differences.length > 0 && !input.replaceMap) {
      throw new CliError(
        `${mapFile} differs from the stored map of stream ${input.stream}; nothing was imported.\n${differences.map((line) => `  ${line}`).join('\n')}\n` +
          `Give --replace-map to replace the stored map with ${mapFile}, or leave out --workflow to import with the stored map.`,
      );
    }
  } else {
    if (!existing) throw new CliError(`stream "${input.stream}" does not exist yet; give its value-stream map with --workflow MAP.yaml`);
    map = existing.map;
    mapFile = `the map of stream ${input.stream}`;
  }
  const stageOf = createStatusIndex(map);
  // every reader refuses a status the map does not name, as a bad row with its line and the fix
  const readOptions: ImportReadOptions = {
    timeZone: map.timeZone,
    statusProblem: (status) => (stageOf(status) ? null : `the map does not name it; add '${status.trim()}' to a stage in ${mapFile}`),
  };
  // the stream's map and its items in one transaction: a refused file leaves no trace
  return withImportTransaction(store, async (db, openWriter) => {
    const writer = await openWriter(await saveStream(db, map), { source: 'import' });
    const sink = new ImportSink(writer, pieces, input.onProgress);
    if (format === 'jira-json') {
      const items = parseJiraJson(await pieces.whole(), input.fileName, readOptions);
      for (let start = 0; start < items.length; ) {
        let end = start;
        for (let count = 0; end < items.length && count < BATCH_TRANSITIONS; end += 1) count += items[end].transitions.length;
        await sink.take(items.slice(start, end), true);
        start = end;
      }
    } else {
      const reader = CSV_READERS[format](input.fileName, readOptions);
      for await (const piece of pieces) await sink.take(reader.push(piece), reader.problemCount === 0);
      await sink.take(reader.end(), true);
    }
    const result = await writer.finish();
    input.onProgress?.(sink.transitionsRead, sink.transitionsRead);
    return { format, items: writer.itemsMet, transitionsRead: sink.transitionsRead, ...result };
  });
}

/** Where the items read go: counted, and stored while the file has no bad row. */
class ImportSink {
  transitionsRead = 0;
  private readonly writer: ImportWriter;
  private readonly pieces: TextPieces;
  private readonly onProgress?: (done: number, total: number) => void;
  private collectedAt = 0;

  constructor(writer: ImportWriter, pieces: TextPieces, onProgress?: (done: number, total: number) => void) {
    this.writer = writer;
    this.pieces = pieces;
    this.onProgress = onProgress;
  }

  /** `store` false: a bad row was found, so the rest is only read (for its bad rows) and counted. */
  async take(items: WorkItem[], store: boolean): Promise<void> {
    for (const item of items) this.transitionsRead += item.transitions.length;
    if (store && items.length > 0) await this.writer.write(items);
    if (this.pieces.bytesRead() - this.collectedAt >= COLLECT_EVERY_BYTES) {
      this.collectedAt = this.pieces.bytesRead();
      releaseMemory();
    }
    const share = this.pieces.shareRead();
    this.onProgress?.(this.transitionsRead, share > 0 ? Math.max(this.transitionsRead, Math.round(this.transitionsRead / share)) : this.transitionsRead);
  }
}
