import type { Command } from 'commander';
import type { CliContext } from '../context.ts';

export function registerStartCommand(program: Command, ctx: CliContext): void {
  program
    .command('start')
    .description('run the bot: HTTP server for tracker webhooks, Slack, Teams, and the local playground')
    .action(async () => {
      await ctx.withStore(async (store) => {
        ctx.stderr(`flow-nudge: database ready (${store.dialect})`);
      });
    });
}
