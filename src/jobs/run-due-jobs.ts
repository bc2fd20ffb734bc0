/**
 * One tick of the schedule: for each job, each due period is claimed in the database first
 * (job_run, unique job + period key) and run only by the replica that won the claim. With
 * several replicas on one Postgres every period runs once; a replica that restarts mid-period
 * finds its claim and does not repeat it. Node-cron only calls this; tests call it with a
 * fake `now`.
 */
import { listBoundStreams, createHistoryCache, type BoundStreamChannels } from '../nudges/bound-streams.ts';
import { claimJobRun, finishJobRun } from '../store/job-runs.ts';
import type { DuePeriod, JobContext, JobDefinition, JobRunResult, SharedRunState } from './job-types.ts';
import { NUDGE_JOBS } from './nudge-jobs.ts';
import { releaseMemory } from './release-memory.ts';

/** Periods this process saw finished: not claimed again (a small cache, the database decides). */
const MAX_REMEMBERED = 50_000;

export interface JobRunner {
  /** Runs every due period of every job at `now`, item by item: ran, skipped (claimed elsewhere) or failed. */
  runDueJobs(now: number): Promise<JobRunResult[]>;
}

/** Rejects, at creation, a job list the runner could not keep apart. */
function validateJobs(jobs: readonly JobDefinition[]): void {
  const names = new Set<string>();
  for (const job of jobs) {
    if (!job?.name || typeof job.duePeriods !== 'function') throw new TypeError('A job needs a name and a duePeriods(ctx, now, shared) function.');
    if (names.has(job.name)) throw new Error(`Two jobs are named "${job.name}": job names key their job_run claims, so each must be unique.`);
    names.add(job.name);
  }
}

/**
 * @example
 * const runner = createJobRunner({ store, charts, replicaId: `${hostname()}:${process.pid}` });
 * await runner.runDueJobs(Date.now());
 */
export function createJobRunner(ctx: JobContext, jobs: readonly JobDefinition[] = NUDGE_JOBS): JobRunner {
  validateJobs(jobs);
  const finished = new Set<string>();
  const wall = ctx.wallClock ?? (() => Date.now());
  const release = ctx.releaseMemory ?? releaseMemory;
  return {
    async runDueJobs(now) {
      let bound: Promise<BoundStreamChannels[]> | null = null;
      const memos = new Map<string, Promise<unknown>>();
      const shared: SharedRunState = {
        history: createHistoryCache(ctx.store),
        boundStreams: () => (bound ??= listBoundStreams(ctx.store)),
        memo: <T>(key: string, make: () => Promise<T>): Promise<T> => {
          let value = memos.get(key) as Promise<T> | undefined;
          if (!value) {
            value = make();
            // the jobs go stream by stream: keep the last few values, not every one of the tick
            if (memos.size >= 2) memos.delete(memos.keys().next().value!);
            memos.set(key, value);
          }
          return value;
        },
        jobs,
      };
      const results: JobRunResult[] = [];
      // the stream whose work last ran: its histories and charts are garbage once the next begins
      let worked: string | undefined | null = null;
      for (const job of jobs) {
        let periods: DuePeriod[];
        try {
          periods = await job.duePeriods(ctx, now, shared);
        } catch (error) {
          results.push({ job: job.name, periodKey: '*', status: 'failed', detail: `could not list due periods: ${(error as Error).message}` });
          continue;
        }
        for (const period of periods) {
          const memo = `${job.name}\u0000${period.key}`;
          if (finished.has(memo)) continue;
          const claim = await claimJobRun(ctx.store.db, job.name, period.key, ctx.replicaId, wall(), ctx.leaseMs);
          if (!claim.claimed) {
            if (claim.holder.finishedAt !== null) remember(finished, memo);
            results.push({ job: job.name, periodKey: period.key, status: 'skipped', detail: `claimed by ${claim.holder.claimedBy}` });
            continue;
          }
          if (worked !== null && period.stream !== worked) release();
          worked = period.stream;
          try {
            const output = await period.run();
            await finishJobRun(ctx.store.db, job.name, period.key, ctx.replicaId, wall());
            remember(finished, memo);
            results.push({ job: job.name, periodKey: period.key, status: 'ran', output });
          } catch (error) {
            // left unfinished: taken over after the lease, by this replica or another
            ctx.log?.warn(`flow-nudge jobs: ${job.name} ${period.key} failed: ${(error as Error).message}`);
            results.push({ job: job.name, periodKey: period.key, status: 'failed', detail: (error as Error).message });
          }
        }
      }
      return results;
    },
  };
}

function remember(set: Set<string>, key: string): void {
  if (set.size >= MAX_REMEMBERED) set.clear();
  set.add(key);
}
