/**
 * The daily retention job (period: the UTC date, claimed once across replicas like every job):
 * drops sent outbox payloads, and what is older than the retention age (src/store/retention.ts).
 */
import { DEFAULT_RETENTION_DAYS, pruneRetained } from '../store/retention.ts';
import type { JobDefinition } from './job-types.ts';

export const retentionJob: JobDefinition = {
  name: 'retention',
  async duePeriods(ctx, now) {
    const retentionDays = ctx.retentionDays ?? DEFAULT_RETENTION_DAYS;
    return [
      {
        key: new Date(now).toISOString().slice(0, 10),
        run: async () => {
          const result = await pruneRetained(ctx.store.db, { now, retentionDays });
          ctx.log?.info?.(`flow-nudge retention (${retentionDays} days): ${Object.entries(result).map(([k, v]) => `${k} ${v}`).join(', ')}`);
          return result;
        },
      },
    ];
  },
};
