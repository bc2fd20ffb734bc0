/**
 * The `flow-nudge` command: wires the sub-commands to one commander program.
 * Exit codes: 0 ok, 1 unexpected failure, 2 bad input (the message says the fix).
 */
import { Command, CommanderError } from 'commander';
import { createCliContext, CliError, type CliContext } from './context.ts';
import { registerMigrateCommand } from './commands/migrate.ts';
import { registerImportCommand } from './commands/import.ts';
import { registerReportCommand } from './commands/report.ts';
import { registerXmrCommand } from './commands/xmr.ts';
import { registerForecastCommand } from './commands/forecast.ts';
import { registerEventCommand } from './commands/event.ts';
import { registerDemoCommand } from './commands/demo.ts';
import { registerStartCommand } from './commands/start.ts';
import { optionalCommands } from './optional-commands.ts';

export function buildProgram(ctx: CliContext): Command {
  const program = new Command('flow-nudge')
    .description('Flow metrics and nudges from your tracker history, in Slack and Teams.')
    .exitOverride()
    .showHelpAfterError('(run flow-nudge --help for the commands)')
    .configureOutput({ writeOut: (text) => ctx.stdout(text), writeErr: (text) => ctx.stderr(text) });
  registerStartCommand(program, ctx);
  registerMigrateCommand(program, ctx);
  registerImportCommand(program, ctx);
  registerReportCommand(program, ctx);
  registerXmrCommand(program, ctx);
  registerForecastCommand(program, ctx);
  registerEventCommand(program, ctx);
  registerDemoCommand(program, ctx);
  for (const register of optionalCommands) register(program, ctx);
  return program;
}

/** Runs the CLI with argv (without node and the script) and returns the exit code. */
export async function main(argv: string[], ctx: CliContext = createCliContext()): Promise<number> {
  const program = buildProgram(ctx);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
      return 2;
    }
    if (error instanceof CliError) {
      ctx.stderr(`flow-nudge: ${error.message}`);
      return error.exitCode;
    }
    const known = toUserError(error);
    if (known) {
      ctx.stderr(`flow-nudge: ${known}`);
      return 2;
    }
    ctx.stderr(`flow-nudge: unexpected failure: ${(error as Error)?.stack ?? String(error)}`);
    return 1;
  }
}

/** Errors of bad input raised below the CLI (a map, an import file, a config) are user errors. */
function toUserError(error: unknown): string | null {
  if (error instanceof Error && ['ImportError', 'MapError', 'ConfigError', 'ZodError'].includes(error.name)) return error.message;
  return null;
}
