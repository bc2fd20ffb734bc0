import type { Command } from 'commander';
import type { CliContext } from './context.ts';
import { registerBackfillCommand } from './commands/backfill.ts';
import { registerChartCommand } from './commands/chart.ts';

/** Sub-commands that live with their feature (charts, trackers). */
export const optionalCommands: ((program: Command, ctx: CliContext) => void)[] = [registerChartCommand, registerBackfillCommand];
