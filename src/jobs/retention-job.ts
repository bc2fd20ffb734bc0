/**
 * The daily retention job (period: the UTC date, claimed once across replicas like every job):
 * drops sent outbox payloads, and what is older than the retention age (src/store/retention.ts),
 * among it the job_run claims of the runner's jobs whose periods are over.
 */
import { DEFAULT_RETENTION_DAYS, pruneRetained } from '../store/retention.ts';
import type { JobDefinition } from './job-types.ts';

export const retentionJob: JobDefinition = {
  name: 'retention',
  periodDays: 1,
  async duePeriods(ctx, now, shared) {
    const retentionDays = ctx.retentionDays ?? DEFAULT_RETENTION_DAYS;
    return [
      {
        key: new Date(now).toISOString().slice(0, 10),
        run: async () => {
          const jobs = shared.jobs.flatMap((job) => (job.periodDays === undefined ? [] : [{ job: job.name, periodDays: job.periodDays }]));
          const result = await pruneRetained(ctx.store.db, { now, retentionDays, jobs });
          ctx.log?.info?.(`flow-nudge retention (${retentionDays} days): ${Object.entries(result).map(([k, v]) => `${k} ${v}`).join(', ')}`);
          return result;
        },
      },
    ];
  },
};
