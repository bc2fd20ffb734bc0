import type { Command } from 'commander';
import { recordOutcomeAnswer } from '../../nudges/outcome-answer.ts';
import { CliError, type CliContext } from '../context.ts';
import { requireStream } from '../stream-arg.ts';

/** `flow-nudge outcome EPIC TEXT… --stream NAME [--observe …] [--key-result …] [--actual]`: the outcome form on the command line. */
export function registerOutcomeCommand(program: Command, ctx: CliContext): void {
  program
    .command('outcome')
    .description("record an epic's anticipated outcome (with its key result), or with --actual what it achieved")
    .requiredOption('--stream <name>', 'the value stream')
    .argument('<epic>', 'the epic key, e.g. CHK-12')
    .argument('<text...>', 'what the epic should achieve (with --actual: what it achieved)')
    .option('--observe <how>', 'how it will be (was) observed')
    .option('--key-result <kr>', 'the parent OKR / key result it serves, e.g. "O2 KR1: repeat purchases +10%" (anticipated only)')
    .option('--actual', 'record the actual outcome of a closed epic')
    .option('--json', 'print what was stored as JSON')
    .action(async (epic: string, words: string[], options: { stream: string; observe?: string; keyResult?: string; actual?: boolean; json?: boolean }) => {
      if (options.actual && options.keyResult !== undefined) throw new CliError('outcome: --key-result goes with an anticipated outcome; leave it out with --actual');
      await ctx.withStore(async (store) => {
        await requireStream(store, options.stream);
        const which = options.actual ? 'actual' : 'anticipated';
        const input = { stream: options.stream, epic, outcome: words.join(' ').trim(), observe: options.observe ?? null, keyResult: options.keyResult ?? null, which } as const;
        const result = await recordOutcomeAnswer(store, input, ctx.now());
        if (!result.ok) throw new CliError(`outcome: ${result.field === 'keyResult' ? '--key-result' : result.field}: ${result.message}`);
        if (options.json) ctx.stdout(JSON.stringify({ stream: result.stream, epic, which, outcome: input.outcome, observe: input.observe, keyResult: which === 'actual' ? null : (input.keyResult?.trim() || null) }));
        else ctx.stderr(result.reply.text);
      });
    });
}
