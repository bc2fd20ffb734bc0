import type { Command } from 'commander';
import { repairLastMoves, verifyLastMoves } from '../../store/item-last-move.ts';
import { listStreams } from '../../store/value-streams.ts';
import { CliError, type CliContext } from '../context.ts';
import { requireStream } from '../stream-arg.ts';

const SHOWN = 20;
const moveWords = (m: { at: number | null; status: string | null }) =>
  m.at === null ? 'no move' : `${new Date(m.at).toISOString()} → ${m.status ?? '(moves at that instant disagree)'}`;

/**
 * `flow-nudge verify [--stream NAME]`: recomputes what each item keeps of its history (its last
 * move, which windowed answers choose items by) from its stored transitions, and says where they
 * differ. Exit code 1 when something does.
 */
export function registerVerifyCommand(program: Command, ctx: CliContext): void {
  program
    .command('verify')
    .description("check that each work item's stored last move (what windowed answers read) matches its transitions; exit 1 on any difference")
    .option('--stream <name>', 'the value stream (default: every stream)')
    .option('--repair', 'rewrite the items that differ from their transitions')
    .action(async (options: { stream?: string; repair?: boolean }) => {
      await ctx.withStore(async (store) => {
        const streams = options.stream !== undefined ? [{ ...(await requireStream(store, options.stream)), name: options.stream }] : await listStreams(store.db);
        let differ = 0;
        for (const stream of streams) {
          const { items, differences } = await verifyLastMoves(store.db, stream.id);
          differ += differences.length;
          if (differences.length === 0) {
            ctx.stdout(`${stream.name}: ${items} items checked, no difference between their summaries and their transitions.`);
            continue;
          }
          ctx.stdout(`${stream.name}: ${items} items checked, ${differences.length} differ from their transitions:`);
          for (const d of differences.slice(0, SHOWN)) ctx.stdout(`  ${d.key}: stored ${moveWords(d.stored)}, transitions give ${moveWords(d.fromTransitions)}`);
          if (differences.length > SHOWN) ctx.stdout(`  … and ${differences.length - SHOWN} more`);
          if (options.repair) {
            await repairLastMoves(store.db, stream.id, differences);
            ctx.stdout(`  repaired: ${differences.length} item${differences.length === 1 ? '' : 's'} rewritten from their transitions.`);
          }
        }
        if (differ > 0 && !options.repair) {
          throw new CliError(`verify: ${differ} item${differ === 1 ? '' : 's'} differ from their transitions, so windowed answers may leave them out; flow-nudge verify --repair rewrites them.`, 1);
        }
      });
    });
}
