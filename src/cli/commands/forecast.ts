import type { Command } from 'commander';
import { dailyThroughputBefore, ForecastError, forecastHowMany, forecastStability, forecastWhen, toTimelines } from '../../core/index.ts';
import { stabilityJson, stabilitySentence } from '../../nudges/forecast-stability-words.ts';
import { loadStreamHistory } from '../../store/stream-history.ts';
import { CliError, type CliContext } from '../context.ts';
import { requireStream } from '../stream-arg.ts';

function wholeNumber(option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new CliError(`${option} must be a whole number of at least 1, got "${value}"`);
  return number;
}

export function registerForecastCommand(program: Command, ctx: CliContext): void {
  program
    .command('forecast')
    .description('Monte Carlo forecast from the daily throughput of the last 90 days (only the days since a shift, when weekly throughput shows one)')
    .requiredOption('--stream <name>', 'the value stream')
    .option('--days <n>', 'how many items will be done in N days?')
    .option('--items <n>', 'how many days until N more items are done?')
    .option('--trials <n>', 'number of simulated futures', '10000')
    .option('--seed <s>', 'seed, for a repeatable forecast (default: today’s date)')
    .option('--json', 'print JSON on stdout')
    .action(async (options: { stream: string; days?: string; items?: string; trials: string; seed?: string; json?: boolean }) => {
      const days = wholeNumber('--days', options.days);
      const items = wholeNumber('--items', options.items);
      if ((days === undefined) === (items === undefined)) throw new CliError('forecast: give exactly one of --days N (how many in N days) or --items N (when will N be done)');
      const trials = wholeNumber('--trials', options.trials)!;
      if (options.seed !== undefined && !Number.isFinite(Number(options.seed))) throw new CliError(`--seed must be a number, got "${options.seed}"`);
      const now = ctx.now();
      const seed = options.seed !== undefined ? Number(options.seed) : Math.floor(now / 86_400_000);
      await ctx.withStore(async (store) => {
        await requireStream(store, options.stream);
        const history = (await loadStreamHistory(store, options.stream))!;
        const timelines = toTimelines(history.items.filter((item) => !item.isEpic), history.map);
        // the stability verdict: weekly throughput of the window on its XmR chart decides what is sampled
        const stability = forecastStability(timelines, history.map, history.events, now);
        const zone = history.map.timeZone;
        const dailyThroughput = dailyThroughputBefore(timelines, history.map, now, stability.sampleDays);
        const verdict = stabilitySentence(stability, zone, now);
        try {
          if (days !== undefined) {
            const result = forecastHowMany({ dailyThroughput, days, trials, seed });
            if (options.json) return ctx.stdout(JSON.stringify({ days, howMany: result.howMany, stability: stabilityJson(stability, zone, now) }));
            ctx.stdout(`In the next ${days} days: at least ${result.howMany['85']} items with 85% confidence (50%: ${result.howMany['50']}, 95%: ${result.howMany['95']}), from the last ${stability.sampleDays} days. ${verdict}`);
          } else {
            const result = forecastWhen({ dailyThroughput, items: items!, trials, seed });
            if (options.json) return ctx.stdout(JSON.stringify({ items, when: result.when, stability: stabilityJson(stability, zone, now) }));
            ctx.stdout(`${items} more items: within ${result.when['85']} days with 85% confidence (50%: ${result.when['50']}, 95%: ${result.when['95']}), from the last ${stability.sampleDays} days. ${verdict}`);
          }
        } catch (error) {
          if (error instanceof ForecastError) throw new CliError(`forecast: ${error.message}`);
          throw error;
        }
      });
    });
}
