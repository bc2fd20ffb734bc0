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
    const failure = describeFailure(error);
    ctx.stderr(`flow-nudge: ${failure.message}`);
    return failure.exitCode;
  }
}

/**
 * What the CLI says and exits with for an error a command threw: a user error (CliError, or bad
 * input found below the CLI: an import file, a map, a config) → its message and exit 2 (or the
 * CliError's own code); anything else → "unexpected failure" with the stack and exit 1.
 */
export function describeFailure(error: unknown): { exitCode: number; message: string } {
  if (error instanceof CliError) return { exitCode: error.exitCode, message: error.message };
  const known = toUserError(error);
  if (known) return { exitCode: 2, message: known };
  return { exitCode: 1, message: `unexpected failure: ${(error as Error)?.stack ?? String(error)}` };
}

/** Errors of bad input raised below the CLI (a map, an import file, a config) are user errors. */
function toUserError(error: unknown): string | null {
  if (error instanceof Error && ['ImportError', 'MapError', 'ConfigError', 'ZodError'].includes(error.name)) return error.message;
  return null;
}
