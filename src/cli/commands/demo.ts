import type { Command } from 'commander';
import { loadDemo } from '../../demo/load-demo.ts';
import type { CliContext } from '../context.ts';

export function registerDemoCommand(program: Command, ctx: CliContext): void {
  program
    .command('demo')
    .description('load the demo value stream "demo": a year of realistic history ending today, with one logged policy change')
    .option('--json', 'print the result as JSON')
    .action(async (options: { json?: boolean }) => {
      await ctx.withStore(async (store) => {
        const result = await loadDemo(store, { now: ctx.now() });
        if (options.json) ctx.stdout(JSON.stringify({ stream: result.stream, items: result.items, itemsAdded: result.itemsAdded, transitionsAdded: result.transitionsAdded }));
        else ctx.stderr(`loaded stream "${result.stream}": ${result.items} items (${result.itemsAdded} new, ${result.transitionsAdded} new transitions), event "${result.events[0].text}". Try: flow-nudge report leadtime --stream demo`);
      });
    });
}
