import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { loadStreamMap } from '../../workflow/load-map.ts';
import { CliError, type CliContext, type Progress } from '../context.ts';
import { IMPORT_FORMATS, importHistory, type ImportFormat } from '../import-history.ts';

export function registerImportCommand(program: Command, ctx: CliContext): void {
  program
    .command('import')
    .description('import a history file into a value stream (idempotent: a second import of the same file adds nothing)')
    .argument('<file>', 'the history file')
    .requiredOption('--stream <name>', 'the value stream to import into')
    .option('--workflow <map>', 'the value-stream map (YAML or JSON); required the first time')
    .option('--format <format>', `one of ${IMPORT_FORMATS.join(', ')} (default: from the file)`)
    .option('--replace-map', 'replace the stored map of an existing stream with --workflow (refused without it when they differ)')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, options: { stream: string; workflow?: string; format?: string; replaceMap?: boolean; json?: boolean }) => {
      if (options.format && !IMPORT_FORMATS.includes(options.format as ImportFormat)) {
        throw new CliError(`--format "${options.format}" is not known; use one of ${IMPORT_FORMATS.join(', ')}`);
      }
      try {
        await access(file, constants.R_OK);
      } catch (error) {
        throw new CliError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
      const givenMap = options.workflow ? { map: { ...(await loadStreamMap(options.workflow)), name: options.stream }, fileName: basename(options.workflow) } : undefined;
      await ctx.withStore(async (store) => {
        let progress: Progress | null = null;
        const started = performance.now();
        const result = await importHistory(store, {
          path: file,
          fileName: basename(file),
          stream: options.stream,
          ...(options.format ? { format: options.format as ImportFormat } : {}),
          ...(givenMap ? { givenMap } : {}),
          ...(options.replaceMap ? { replaceMap: true } : {}),
          onProgress: (done, total) => {
            progress ??= ctx.progress('import', total);
            progress.update(done, total);
          },
        });
        (progress as Progress | null)?.stop();
        const seconds = (performance.now() - started) / 1000;
        const { transitionsRead, ...counts } = result;
        const summary = { stream: options.stream, ...counts };
        if (options.json) ctx.stdout(JSON.stringify(summary));
        else ctx.stderr(`imported ${basename(file)} into ${options.stream}: ${result.itemsAdded} new items, ${result.transitionsAdded} new transitions${result.flagsAdded > 0 ? `, ${result.flagsAdded} new flag/label events` : ''} (${result.items} items, ${transitionsRead} transitions read, ${seconds.toFixed(1)} s)`);
      });
    });
}
