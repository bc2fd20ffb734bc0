/**
 * `flow-nudge deliveries --failed`: the webhook deliveries that failed for good
 * (their content cannot be applied, or they ran out of attempts), with the
 * reason; `--retry ID…` or `--retry all` puts them back for the processor.
 */
import type { Command } from 'commander';
import { listFailedDeliveries, retryDeliveries } from '../../store/webhook-deliveries.ts';
import { CliError, type CliContext } from '../context.ts';

export function registerDeliveriesCommand(program: Command, ctx: CliContext): void {
  program
    .command('deliveries')
    .description('webhook deliveries that failed for good (--failed), and retrying them by hand (--retry ID… | all)')
    .option('--failed', 'list the deliveries that failed for good, with the reason')
    .option('--retry <ids...>', 'put these failed deliveries back to pending (ids from --failed, or all)')
    .option('--json', 'print JSON')
    .action(async (options: { failed?: boolean; retry?: string[]; json?: boolean }) => {
      if (!options.failed && !options.retry) throw new CliError('say what to do: --failed lists the failed deliveries, --retry ID… (or --retry all) retries them');
      let ids: number[] | 'all-failed' | null = null;
      if (options.retry) {
        if (options.retry.length === 1 && options.retry[0] === 'all') ids = 'all-failed';
        else {
          const bad = options.retry.find((id) => !/^\d+$/.test(id));
          if (bad !== undefined) throw new CliError(`--retry ${JSON.stringify(bad)} is not a delivery id: give the numbers listed by flow-nudge deliveries --failed, or all`);
          ids = options.retry.map(Number);
        }
      }
      await ctx.withStore(async (store) => {
        if (ids !== null) {
          const retried = await retryDeliveries(store.db, ids);
          if (options.json) ctx.stdout(JSON.stringify({ retried }));
          else ctx.stderr(retried.length === 0 ? 'no failed delivery with those ids; nothing changed' : `put back for processing: ${retried.join(', ')} (a running bot picks them up within a second)`);
          if (ids !== 'all-failed') {
            const missing = ids.filter((id) => !retried.includes(id));
            if (missing.length > 0) ctx.stderr(`not failed (or not stored), left alone: ${missing.join(', ')}`);
          }
          return;
        }
        const failed = await listFailedDeliveries(store.db);
        if (options.json) {
          ctx.stdout(JSON.stringify(failed));
          return;
        }
        if (failed.length === 0) {
          ctx.stderr('no webhook delivery failed for good');
          return;
        }
        for (const d of failed) {
          ctx.stdout(`${d.id}\t${d.source}\t${d.deliveryId}\treceived ${new Date(d.receivedAt).toISOString()}\t${d.attempts} attempt${d.attempts === 1 ? '' : 's'}\t${d.error ?? ''}`);
        }
        ctx.stderr(`${failed.length} failed for good; after fixing the cause: flow-nudge deliveries --retry ID… (or --retry all)`);
      });
    });
}
