import type { Command } from 'commander';
import { xmr } from '../../core/xmr.ts';
import { geometricXmr, XMR_SCALES, type XmrScale } from '../../core/xmr-reading.ts';
import { CliError, type CliContext } from '../context.ts';
import { readStdin } from '../read-stdin.ts';

/** Parses whitespace- or comma-separated numbers; anything else is refused with its position. */
export function parseNumbers(text: string): number[] {
  const tokens = text.split(/[\s,]+/).filter((token) => token.length > 0);
  return tokens.map((token, index) => {
    const value = Number(token);
    if (!Number.isFinite(value)) throw new CliError(`xmr: "${token}" (value ${index + 1}) is not a number; give numbers separated by spaces, commas or new lines`);
    return value;
  });
}

export function registerXmrCommand(program: Command, ctx: CliContext): void {
  program
    .command('xmr')
    .description('XmR (process behaviour) limits and signals of numbers read from stdin')
    .option('--baseline <n>', 'compute the limits from the first N points (default: the first 20, or all if fewer)')
    .option('--scale <scale>', 'linear (default) or log: durations such as lead times are read on the log scale (centre = geometric mean, limits back in the values\' unit), as the bot reads them')
    .option('--json', 'print JSON')
    .action(async (options: { baseline?: string; scale?: string; json?: boolean }) => {
      const scale = options.scale ?? 'linear';
      if (!XMR_SCALES.includes(scale as XmrScale)) throw new CliError(`xmr: --scale "${options.scale}" is not known; use ${XMR_SCALES.join(' or ')}`);
      const values = parseNumbers(await readStdin());
      if (scale === 'log' && values.some((v) => v <= 0)) {
        throw new CliError(`xmr: --scale log needs positive numbers (value ${values.findIndex((v) => v <= 0) + 1} is ${values.find((v) => v <= 0)}); leave --scale out for these`);
      }
      if (values.length < 6) throw new CliError(`xmr: need at least 6 numbers to compute limits, got ${values.length}`);
      let baseline: number | undefined;
      if (options.baseline !== undefined) {
        baseline = Number(options.baseline);
        if (!Number.isInteger(baseline) || baseline < 6 || baseline > values.length) {
          throw new CliError(`xmr: --baseline must be a whole number from 6 to ${values.length} (the number of values), got "${options.baseline}"`);
        }
      }
      const result = scale === 'log' ? geometricXmr(values, { baseline }) : xmr(values, { baseline });
      const phase = result.phases[0];
      const output = {
        center: phase.center,
        mrCenter: phase.mrCenter,
        unpl: phase.unpl,
        lnpl: phase.lnpl,
        mrUrl: phase.mrUrl,
        points: result.points.map((point) => ({ index: point.index, value: point.value, mr: point.mr, rules: point.rules })),
      };
      if (options.json) {
        ctx.stdout(JSON.stringify(output));
        return;
      }
      // one rounding for the whole line: one decimal more than the values have (1 for whole numbers, at most 3)
      const decimals = Math.min(3, 1 + Math.max(0, ...values.map((value) => (String(value).split('.')[1] ?? '').length)));
      const round = (value: number) => value.toFixed(decimals);
      ctx.stdout(`centre ${round(output.center)}  UNPL ${round(output.unpl)}  LNPL ${round(output.lnpl)}  mean mR ${round(output.mrCenter)}  mR limit ${round(output.mrUrl)}`);
      const signals = output.points.filter((point) => point.rules.length > 0);
      if (signals.length === 0) ctx.stdout('No signals: every point is routine variation.');
      for (const point of signals) ctx.stdout(`point ${point.index} (${point.value}): ${point.rules.join(', ')}`);
    });
}
