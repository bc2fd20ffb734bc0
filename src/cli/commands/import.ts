import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import type { StreamMap, WorkItem } from '../../core/types.ts';
import { parseJiraCsv } from '../../import/jira-csv.ts';
import { parseJiraJson } from '../../import/jira-json.ts';
import { parseTransitionsCsv } from '../../import/transitions-csv.ts';
import { getStream, saveStream } from '../../store/value-streams.ts';
import { importWorkItems } from '../../store/work-items.ts';
import { loadStreamMap } from '../../workflow/load-map.ts';
import { findUnknownStatuses } from '../../workflow/unknown-statuses.ts';
import { createStatusIndex } from '../../workflow/status-index.ts';
import { mapDifferences } from '../../workflow/map-diff.ts';
import type { ImportReadOptions } from '../../import/import-error.ts';
import { CliError, type CliContext } from '../context.ts';

const FORMATS = ['transitions-csv', 'jira-csv', 'jira-json'] as const;
type Format = (typeof FORMATS)[number];

const PARSERS: Record<Format, (text: string, fileName: string, options: ImportReadOptions) => WorkItem[]> = {
  'transitions-csv': parseTransitionsCsv,
  'jira-csv': parseJiraCsv,
  'jira-json': parseJiraJson,
};

function guessFormat(file: string, text: string): Format {
  if (file.toLowerCase().endsWith('.json')) return 'jira-json';
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

export function registerImportCommand(program: Command, ctx: CliContext): void {
  program
    .command('import')
    .description('import a history file into a value stream (idempotent: a second import of the same file adds nothing)')
    .argument('<file>', 'the history file')
    .requiredOption('--stream <name>', 'the value stream to import into')
    .option('--workflow <map>', 'the value-stream map (YAML or JSON); required the first time')
    .option('--format <format>', `one of ${FORMATS.join(', ')} (default: from the file)`)
    .option('--replace-map', 'replace the stored map of an existing stream with --workflow (refused without it when they differ)')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, options: { stream: string; workflow?: string; format?: string; replaceMap?: boolean; json?: boolean }) => {
      if (options.format && !FORMATS.includes(options.format as Format)) {
        throw new CliError(`--format "${options.format}" is not known; use one of ${FORMATS.join(', ')}`);
      }
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        throw new CliError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
      const format = (options.format as Format | undefined) ?? guessFormat(file, text);
      const givenMap = options.workflow ? { ...(await loadStreamMap(options.workflow)), name: options.stream } : null;
      await ctx.withStore(async (store) => {
        let map: StreamMap;
        let mapFile: string;
        const existing = await getStream(store.db, options.stream);
        if (givenMap && options.workflow) {
          map = givenMap;
          mapFile = basename(options.workflow);
          const differences = existing ? mapDifferences(existing.map, givenMap) : [];
          if (differences.length > 0 && !options.replaceMap) {
            throw new CliError(
              `${mapFile} differs from the stored map of stream ${options.stream}; nothing was imported.\n${differences.map((line) => `  ${line}`).join('\n')}\n` +
                `Give --replace-map to replace the stored map with ${mapFile}, or leave out --workflow to import with the stored map.`,
            );
          }
        } else {
          if (!existing) throw new CliError(`stream "${options.stream}" does not exist yet; give its value-stream map with --workflow MAP.yaml`);
          map = existing.map;
          mapFile = `the map of stream ${options.stream}`;
        }
        const stageOf = createStatusIndex(map);
        const items = PARSERS[format](text, basename(file), {
          timeZone: map.timeZone,
          statusProblem: (status) => (stageOf(status) ? null : `the map does not name it; add '${status.trim()}' to a stage in ${mapFile}`),
        });
        const unknown = findUnknownStatuses(map, statusesOf(items), mapFile);
        if (unknown.length > 0) {
          throw new CliError(`${basename(file)} uses ${unknown.length} status${unknown.length > 1 ? 'es' : ''} the map does not name; nothing was imported.\n${unknown.map((entry) => `  ${entry.fix}`).join('\n')}`);
        }
        const streamId = await saveStream(store.db, map);
        const total = items.reduce((sum, item) => sum + item.transitions.length, 0);
        const progress = ctx.progress('import', total);
        const started = performance.now();
        const result = await importWorkItems(store, streamId, items, { source: 'import', onProgress: (done) => progress.update(done) });
        progress.stop();
        const seconds = (performance.now() - started) / 1000;
        const summary = { stream: options.stream, format, items: items.length, ...result };
        if (options.json) ctx.stdout(JSON.stringify(summary));
        else ctx.stderr(`imported ${basename(file)} into ${options.stream}: ${result.itemsAdded} new items, ${result.transitionsAdded} new transitions (${items.length} items, ${total} transitions read, ${seconds.toFixed(1)} s)`);
      });
    });
}
