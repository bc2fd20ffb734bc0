/**
 * What a scheduled job is: a name, and the periods due at `now` (each with a key and the work).
 * The runner claims each period in the database before running it (src/jobs/run-due-jobs.ts).
 */
import type { NudgeContext } from '../nudges/nudge-context.ts';

export interface JobContext extends NudgeContext {
  /** who claims: a replica id (host + pid), stored in job_run.claimed_by */
  replicaId: string;
  /** an unfinished claim older than this is taken over (default 15 min) */
  leaseMs?: number;
  /**
   * The wall clock claims are stamped with and leases measured by (default Date.now): a lease
   * is about real time (a replica died), while `now` of a tick is the schedule's time, faked in tests.
   */
  wallClock?: () => number;
  /** what the retention job forgets is older than this many days (default 30, FLOW_NUDGE_RETENTION_DAYS) */
  retentionDays?: number;
  /** called between the periods of two streams (default: a full GC, src/jobs/release-memory.ts) */
  releaseMemory?: () => void;
}

export interface DuePeriod {
  /** unique within the job, e.g. `slack:C1:2026-W44` or `3:2026-11-02` */
  key: string;
  /** the stream the period works on: the runner gives memory back when the stream changes */
  stream?: string;
  run(): Promise<unknown>;
}

export interface JobDefinition {
  name: string;
  /**
   * How many days one period of this job can stay due at most (1 for a daily job, 7 for the
   * weekly check-in): the retention job forgets the job's runs once older than that and the
   * retention age, since such a period cannot come due again. Left out: its runs are kept
   * (an experiment's review stays due while the experiment is open; the claim prevents a rerun).
   */
  periodDays?: number;
  /** the periods of this job that are due at `now`; cheap (no stream history is loaded here) */
  duePeriods(ctx: JobContext, now: number, shared: SharedRunState): Promise<DuePeriod[]>;
}

/** Loaded once per tick and shared by the jobs of that tick. */
export interface SharedRunState {
  history(name: string): Promise<import('../store/stream-history.ts').StreamHistory | null>;
  boundStreams(): Promise<import('../nudges/bound-streams.ts').BoundStreamChannels[]>;
  /** computes a value once per tick (e.g. a stream's check-in agenda, shared by its channels) */
  memo<T>(key: string, make: () => Promise<T>): Promise<T>;
  /** the jobs this runner runs (the retention job reads their periods) */
  jobs: readonly JobDefinition[];
}

export interface JobRunResult {
  job: string;
  periodKey: string;
  status: 'ran' | 'skipped' | 'failed';
  /** why skipped (claimed by another replica) or failed (the error) */
  detail?: string;
  output?: unknown;
}
