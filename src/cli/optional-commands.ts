import type { Command } from 'commander';
import type { CliContext } from './context.ts';
import { registerBackfillCommand } from './commands/backfill.ts';
import { registerChartCommand } from './commands/chart.ts';
import { registerDeliveriesCommand } from './commands/deliveries.ts';

/** Sub-commands that live with their feature (charts, trackers, the webhook inbox). */
export const optionalCommands: ((program: Command, ctx: CliContext) => void)[] = [registerChartCommand, registerBackfillCommand, registerDeliveriesCommand];
