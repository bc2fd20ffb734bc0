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
import { registerOutcomeCommand } from './commands/outcome.ts';
import { registerDemoCommand } from './commands/demo.ts';
import { registerStartCommand } from './commands/start.ts';
import { registerVerifyCommand } from './commands/verify.ts';
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
  registerOutcomeCommand(program, ctx);
  registerDemoCommand(program, ctx);
  registerVerifyCommand(program, ctx);
  for (const register of optionalCommands) register(program, ctx);
  showUsageAfterErrors(program);
  return program;
}

/**
 * A usage error of a sub-command (a missing option or argument, an unknown option) shows that
 * command's expected form, not only the top-level hint:
 *   error: required option '--stream <name>' not specified
 *   usage: flow-nudge report <metric> --stream <name> [options]  (flow-nudge report --help lists every option)
 */
function showUsageAfterErrors(command: Command, path: string[] = []): void {
  for (const sub of command.commands) {
    const names = [...path, sub.name()];
    const args = sub.registeredArguments.map((arg) => {
      const name = `${arg.name()}${arg.variadic ? '...' : ''}`;
      return arg.required ? `<${name}>` : `[${name}]`;
    });
    const required = sub.options.filter((option) => option.mandatory).map((option) => option.flags);
    const form = sub.commands.length > 0 ? ['<command>'] : [...args, ...required, '[options]'];
    sub.showHelpAfterError(`usage: flow-nudge ${[...names, ...form].join(' ')}  (flow-nudge ${names.join(' ')} --help lists every option)`);
    showUsageAfterErrors(sub, names);
  }
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
