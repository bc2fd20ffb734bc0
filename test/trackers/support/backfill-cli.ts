/** Runs `flow-nudge backfill …` in process through commander, as the CLI would; collects stdout and the error. */
import { Command } from 'commander';
import { registerBackfillCommand } from '../../../src/cli/commands/backfill.ts';
import { createCliContext } from '../../../src/cli/context.ts';

export async function runBackfillCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ out: string; error: Error | null }> {
  const out: string[] = [];
  const program = new Command('flow-nudge').exitOverride();
  registerBackfillCommand(program, createCliContext({ env, stdout: (t) => out.push(t), stderr: () => {}, isTTY: false }));
  try {
    await program.parseAsync(args, { from: 'user' });
    return { out: out.join('\n'), error: null };
  } catch (error) {
    return { out: out.join('\n'), error: error as Error };
  }
}
