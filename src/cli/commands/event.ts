import type { Command } from 'commander';
import { addFlowEvent, listFlowEvents } from '../../store/flow-events.ts';
import { CliError, type CliContext } from '../context.ts';
import { parseStreamDateOption, requireStream } from '../stream-arg.ts';
import { localDate } from '../../core/local-date.ts';
import { FLOW_EVENT_KINDS } from '../../core/xmr-reading.ts';

export function registerEventCommand(program: Command, ctx: CliContext): void {
  const event = program.command('event').description('the events log: policy changes that split XmR phases');
  event
    .command('add')
    .description('log an event (a policy change) on a date')
    .requiredOption('--stream <name>', 'the value stream')
    .option('--at <date>', 'when it happened (YYYY-MM-DD or ISO-8601; default now)')
    .option('--kind <kind>', `${FLOW_EVENT_KINDS.join(', ')} or your own label; each starts a new XmR phase (baseline: restart the limits from --at without a policy change)`, 'policy')
    .argument('<text...>', 'what changed, e.g. "WIP limit 3 in Code review"')
    .option('--json', 'print the event as JSON')
    .action(async (words: string[], options: { stream: string; at?: string; kind: string; json?: boolean }) => {
      const text = words.join(' ').trim();
      if (!text) throw new CliError('event add: say what changed, e.g. flow-nudge event add --stream demo "WIP limit 3 in Code review"');
      await ctx.withStore(async (store) => {
        const stream = await requireStream(store, options.stream);
        const at = parseStreamDateOption('--at', options.at, stream.map.timeZone) ?? ctx.now();
        const id = await addFlowEvent(store.db, stream.id, { at, text, kind: options.kind });
        if (options.json) ctx.stdout(JSON.stringify({ id, stream: options.stream, at: new Date(at).toISOString(), text, kind: options.kind }));
        else ctx.stderr(`logged "${text}" on ${localDate(at, stream.map.timeZone)} for ${options.stream}`);
      });
    });
  event
    .command('list')
    .description('list the logged events of a stream')
    .requiredOption('--stream <name>', 'the value stream')
    .option('--json', 'print JSON')
    .action(async (options: { stream: string; json?: boolean }) => {
      await ctx.withStore(async (store) => {
        const stream = await requireStream(store, options.stream);
        const events = await listFlowEvents(store.db, stream.id);
        if (options.json) {
          ctx.stdout(JSON.stringify(events.map((entry) => ({ at: new Date(entry.at).toISOString(), text: entry.text, kind: entry.kind }))));
          return;
        }
        if (events.length === 0) ctx.stdout(`no events logged for ${options.stream}`);
        for (const entry of events) ctx.stdout(`${localDate(entry.at, stream.map.timeZone)}  ${entry.kind.padEnd(10)} ${entry.text}`);
      });
    });
}
