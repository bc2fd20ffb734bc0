import type { Command } from 'commander';
import { migrateToLatest } from '../../store/database.ts';
import { CliError, type CliContext } from '../context.ts';

export function registerMigrateCommand(program: Command, ctx: CliContext): void {
  program
    .command('migrate')
    .description('apply the database migrations (DATABASE_URL; default SQLite file ./data/flow-nudge.db)')
    .action(async () => {
      await ctx.withStore(async (store) => {
        // openStore has applied them already; run again to report what is there.
        const result = await migrateToLatest(store.db);
        if (result.error) throw new CliError(`migration failed: ${String(result.error)}`, 1);
        ctx.stderr(`database is up to date (${store.dialect})`);
      });
    });
}
