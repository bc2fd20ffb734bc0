import type { Command } from 'commander';
import { startBot } from '../../http/start-bot.ts';
import type { CliContext } from '../context.ts';

export function registerStartCommand(program: Command, ctx: CliContext): void {
  program
    .command('start')
    .description('run the bot: tracker webhooks, Slack, Teams, and (with no chat credentials) the local playground on PORT (default 3000)')
    .action(async () => {
      const bot = await startBot({ env: ctx.env, clock: ctx.now, announce: (line) => ctx.stdout(line) });
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          ctx.stderr(`flow-nudge: ${signal}, stopping`);
          bot.close().then(resolve, resolve);
        };
        process.once('SIGINT', () => stop('SIGINT'));
        process.once('SIGTERM', () => stop('SIGTERM'));
      });
    });
}
