/**
 * Imports one history file's text into a value stream: the whole of `flow-nudge import` after
 * the file is read, so a test can import thousands of generated files in one process. A file
 * with any bad row is refused whole (ImportError, every bad row with its line); a map that
 * differs from the stored one, or an unknown stream, is a CliError; nothing is stored then.
 */
import type { StreamMap, WorkItem } from '../core/types.ts';
import { parseJiraCsv } from '../import/jira-csv.ts';
import { parseJiraJson } from '../import/jira-json.ts';
import { parseTransitionsCsv } from '../import/transitions-csv.ts';
import type { ImportReadOptions } from '../import/import-error.ts';
import type { Store } from '../store/database.ts';
import { getStream, saveStream } from '../store/value-streams.ts';
import { importWorkItems, type ImportResult } from '../store/work-items.ts';
import { mapDifferences } from '../workflow/map-diff.ts';
import { createStatusIndex } from '../workflow/status-index.ts';
import { findUnknownStatuses } from '../workflow/unknown-statuses.ts';
import { CliError } from './context.ts';

export const IMPORT_FORMATS = ['transitions-csv', 'jira-csv', 'jira-json'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

const PARSERS: Record<ImportFormat, (text: string, fileName: string, options: ImportReadOptions) => WorkItem[]> = {
  'transitions-csv': parseTransitionsCsv,
  'jira-csv': parseJiraCsv,
  'jira-json': parseJiraJson,
};

/** The format of a file by its name and first line. */
export function guessImportFormat(fileName: string, text: string): ImportFormat {
  if (fileName.toLowerCase().endsWith('.json')) return 'jira-json';
  return /^\uFEFF?key,type,title/i.test(text) ? 'transitions-csv' : 'jira-csv';
}

/** Every status an import mentions. */
function statusesOf(items: WorkItem[]): Set<string> {
  const statuses = new Set<string>();
  for (const item of items) for (const transition of item.transitions) {
    if (transition.from) statuses.add(transition.from);
    statuses.add(transition.to);
  }
  return statuses;
}

export interface ImportHistoryInput {
  text: string;
  /** the file's name, in messages */
  fileName: string;
  stream: string;
  format?: ImportFormat;
  /** the map given with --workflow (named after the stream) and its file name */
  givenMap?: { map: StreamMap; fileName: string };
  replaceMap?: boolean;
  onProgress?: (done: number, total: number) => void;
}

export interface ImportHistoryResult extends ImportResult {
  format: ImportFormat;
  items: number;
  transitionsRead: number;
}

export async function importHistory(store: Store, input: ImportHistoryInput): Promise<ImportHistoryResult> {
  const format = input.format ?? guessImportFormat(input.fileName, input.text);
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
  const items = PARSERS[format](input.text, input.fileName, {
    timeZone: map.timeZone,
    statusProblem: (status) => (stageOf(status) ? null : `the map does not name it; add '${status.trim()}' to a stage in ${mapFile}`),
  });
  const unknown = findUnknownStatuses(map, statusesOf(items), mapFile);
  if (unknown.length > 0) {
    throw new CliError(`${input.fileName} uses ${unknown.length} status${unknown.length > 1 ? 'es' : ''} the map does not name; nothing was imported.\n${unknown.map((entry) => `  ${entry.fix}`).join('\n')}`);
  }
  const streamId = await saveStream(store.db, map);
  const total = items.reduce((sum, item) => sum + item.transitions.length, 0);
  const result = await importWorkItems(store, streamId, items, { source: 'import', onProgress: (done) => input.onProgress?.(done, total) });
  return { format, items: items.length, transitionsRead: total, ...result };
}
