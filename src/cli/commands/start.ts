import type { Command } from 'commander';
import type { startBot } from '../../http/start-bot.ts';
import { CliError, type CliContext } from '../context.ts';

/** A port that cannot be listened on is a setting to change, said in one line (exit 2). */
function listenProblem(error: unknown, port: string): CliError | null {
  const code = (error as NodeJS.ErrnoException)?.code;
  const syscall = (error as NodeJS.ErrnoException)?.syscall;
  if (syscall !== 'listen') return null;
  if (code === 'EADDRINUSE') return new CliError(`port ${port} is already in use (EADDRINUSE); stop what runs on it, or set PORT to a free port (PORT=3001 npm start)`);
  if (code === 'EACCES') return new CliError(`port ${port} may not be opened by this user (EACCES); set PORT to a port above 1023 (PORT=3000 npm start)`);
  if (code === 'EADDRNOTAVAIL') return new CliError(`the address to listen on is not on this machine (EADDRNOTAVAIL); check PORT (${port})`);
  return null;
}

export function registerStartCommand(program: Command, ctx: CliContext): void {
  program
    .command('start')
    .description('run the bot: tracker webhooks, Slack, Teams, and (with no chat credentials) the local playground on PORT (default 3000)')
    .action(async () => {
      let bot: Awaited<ReturnType<typeof startBot>>;
      try {
        // loaded when the bot starts: the chat adapters' packages are not needed by the other commands
        const { startBot } = await import('../../http/start-bot.ts');
        bot = await startBot({ env: ctx.env, clock: ctx.now, announce: (line) => ctx.stdout(line) });
      } catch (error) {
        throw listenProblem(error, ctx.env.PORT?.trim() || '3000') ?? error;
      }
      const running = bot;
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          ctx.stderr(`flow-nudge: ${signal}, stopping`);
          running.close().then(resolve, resolve);
        };
        process.once('SIGINT', () => stop('SIGINT'));
        process.once('SIGTERM', () => stop('SIGTERM'));
      });
    });
}
