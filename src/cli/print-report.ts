import { localDate } from '../core/local-date.ts';
import type { CliContext } from './context.ts';
import type { ReportMetric } from './commands/report.ts';

// biome-ignore lint/suspicious/noExplicitAny: the report's JSON, as --json prints it; each case reads its own fields
type Json = Record<string, any>;

const pct = (value: number | null | undefined) => (value === null || value === undefined ? '–' : `${Math.round(value * 1000) / 10}%`);
const num = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(1));
const days = (ms: number) => `${(ms / 86_400_000).toFixed(1)} d`;

/**
 * Prints a report for people (the --json form is the same data as JSON). The window is printed
 * in the stream's time zone, as --from and --to are read: `--from 2026-08-01 --to 2026-09-01`
 * prints "2026-08-01 to 2026-09-01" (the end exclusive, as given), not the UTC dates of those midnights.
 */
export function printReport(metric: ReportMetric, result: Json, ctx: CliContext, window?: { from: number; to: number; timeZone: string }): void {
  const out = (line: string) => ctx.stdout(line);
  const span = window ? ` · ${localDate(window.from, window.timeZone)} to ${localDate(window.to, window.timeZone)}` : '';
  out(`${result.stream} · ${metric}${result.from ? span : ''}`);
  switch (metric) {
    case 'leadtime':
    case 'cycletime': {
      if (!result.percentiles) {
        out('No items finished in this window.');
        return;
      }
      const p = result.percentiles;
      out(`${result.count} items finished (${result.days} days). 50%: ${num(p['50'])}  70%: ${num(p['70'])}  85%: ${num(p['85'])}  95%: ${num(p['95'])}`);
      out(`85% of the items took ${num(p['85'])} days or less.`);
      return;
    }
    case 'throughput':
      out(`${result.total} items finished.`);
      for (const week of result.perWeek) out(`  ${week.week}  ${'■'.repeat(Math.min(week.count, 60))} ${week.count}`);
      return;
    case 'wip':
      for (const day of result.perDay.slice(-14)) out(`  ${day.date}  ${day.count}`);
      return;
    case 'arrivals':
      out('  week      arrivals  finished  net flow');
      for (const week of result.perWeek) out(`  ${week.week}  ${String(week.arrivals).padStart(8)}  ${String(week.completions).padStart(8)}  ${String(week.netFlow).padStart(8)}`);
      return;
    case 'efficiency':
      out(`Flow efficiency: ${pct(result.overall)} of lead time is touch time, over ${result.items.length} finished items.`);
      return;
    case 'stages':
      for (const stage of result.stages) out(`  ${stage.stage.padEnd(22)} ${stage.kind.padEnd(8)} total ${days(stage.totalMs).padStart(9)}  median ${days(stage.medianMs).padStart(7)}  ${stage.kind === 'wait' ? `${pct(stage.waitShare)} of wait` : ''}`);
      out(result.constraint ? result.constraint.sentence : 'No waiting recorded in this window.');
      return;
    case 'map':
      for (const stage of result.stages) {
        const blocked = stage.blockedShare > 0 ? `  ${pct(stage.blockedShare)} blocked` : '';
        out(`  ${stage.name.padEnd(22)} ${stage.kind.padEnd(6)} ${String(stage.items).padStart(5)} items  median ${num(stage.medianDays).padStart(5)} d${blocked}`);
      }
      if (result.leadTime) out(`Lead time: median ${num(result.leadTime.median)} d, 85% within ${num(result.leadTime.p85)} d (${result.leadTime.items} items finished).`);
      out(`Touch ${num(result.touchDays)} d + wait ${num(result.waitDays)} d (stage medians); flow efficiency ${pct(result.flowEfficiency)}.`);
      for (const loop of result.rework.slice(0, 5)) out(`Rework ${loop.from} → ${loop.to}: ${loop.items} items, ${loop.moves} moves, ${pct(loop.shareOfPassed)} of those in ${loop.from}.`);
      if (result.stalled > 0) out(`${result.stalled} items in progress are stalled.`);
      out(result.constraint ? result.constraint.sentence : 'No waiting recorded in this window.');
      return;
    case 'aging': {
      const beyond = result.items.filter((item: Json) => item.beyond);
      out(`${result.items.length} items in progress; ${beyond.length} past the 85th percentile of cycle time${result.percentiles ? ` (${result.percentiles['85']} days)` : ''}.`);
      for (const item of [...result.items].sort((a: Json, b: Json) => b.ageDays - a.ageDays).slice(0, 15)) {
        out(`  ${item.key.padEnd(12)} ${String(item.ageDays).padStart(4)} d  ${item.stage.padEnd(20)} ${item.beyond ? `past ${item.beyond}th` : ''}`);
      }
      return;
    }
    case 'distribution':
      out(`Completions by type: ${Object.entries(result.shares).map(([type, share]) => `${type} ${pct(share as number)}`).join(', ')}. Flow load (WIP by type): ${Object.entries(result.flowLoad).map(([type, count]) => `${type} ${count}`).join(', ')}.`);
      return;
    case 'ffr':
      if (result.ratio === null) {
        out('No epics yet.');
        return;
      }
      out(`Feature Factory Ratio: ${num(result.ratio)} (${result.withoutOutcome} of ${result.epics} epics have no anticipated outcome).`);
      for (const epic of result.missing) out(`  ${epic.key}  ${epic.title}`);
      return;
    case 'littles-law':
      out(`Average WIP ${num(result.averageWip)} vs throughput ${num(result.throughputPerDay)}/day × average cycle time ${num(result.averageCycleTimeDays)} days: ratio ${result.ratio === null ? '–' : result.ratio.toFixed(2)} (1.00 means the law holds).`);
      return;
  }
}
