/**
 * Slash-command work as durable jobs: the command is written to the database (command_job)
 * before "Working on…" goes out, and whichever replica is free claims it, runs it and posts the
 * answer. A redeploy or a crash between the promise and the answer only delays the answer: the
 * job's lease ends (30 s) and the next replica — or this one after its restart — answers it.
 * Claimed jobs wait in the in-memory command queue, so acknowledgements still go out first.
 * On shutdown the jobs not started yet are handed back at once; the running ones get up to
 * `stopGraceMs` to finish, and any still running then are handed back too (their lease
 * cleared), so another replica answers them at once instead of after the lease.
 */
import type { webApi } from '@slack/bolt';
import { claimCommandJobs, enqueueCommandJob, finishCommandJob, releaseCommandJobs, renewCommandJob, type CommandJob, type CommandJobLease } from '../../store/command-jobs.ts';
import type { Store } from '../../store/database.ts';
import type { CommandQueue } from './command-queue.ts';
import type { ReplyTarget } from './deliver-reply.ts';
import type { SlackLog } from './slack-deps.ts';

/** What the job keeps of the slash command (Slack's response_url is valid for 30 minutes). */
export interface SlackCommandPayload {
  text: string;
  channelId: string;
  teamId?: string;
  userId: string;
  responseUrl?: string;
  triggerId: string;
}

export interface SlackCommandJobs {
  /** resolves once the job is committed (then say "Working on…") */
  enqueue(command: SlackCommandPayload): Promise<void>;
  start(): void;
  /** stops claiming, hands back the jobs not started, waits up to the grace for the running ones, hands back the rest (idempotent) */
  stop(): Promise<void>;
}

export const COMMAND_JOB_LEASE_MS = 30_000;

export function createSlackCommandJobs(options: {
  store: Store;
  clock: () => number;
  log: SlackLog;
  queue: CommandQueue;
  /** a Web API client with the bot token of the workspace */
  clientFor: (teamId: string | undefined) => Promise<webApi.WebClient>;
  /** runs the command and posts its answer (answers its own errors in Slack) */
  answer: (client: webApi.WebClient, command: SlackCommandPayload, target: ReplyTarget) => Promise<void>;
  leaseMs?: number;
  pollMs?: number;
  /** claimed jobs at most waiting in the queue */
  maxHeld?: number;
  /** on stop, how long running jobs get to finish before they are handed back (default 10 s) */
  stopGraceMs?: number;
}): SlackCommandJobs {
  const { store, clock, log } = options;
  const leaseMs = options.leaseMs ?? COMMAND_JOB_LEASE_MS;
  const pollMs = options.pollMs ?? 1_000;
  const maxHeld = options.maxHeld ?? 4;
  const stopGraceMs = options.stopGraceMs ?? 10_000;
  const waiting = new Map<number, CommandJobLease>();
  const running = new Set<Promise<void>>();
  /** the jobs running now, by id: handed back if they outlive the grace at stop */
  const runningLeases = new Map<number, CommandJobLease>();
  let stopped = true;
  let stopping: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let claiming: Promise<void> | null = null;
  let again = false;

  async function run(job: CommandJob): Promise<void> {
    if (stopped || !waiting.delete(job.id)) return;
    runningLeases.set(job.id, job);
    const renew = setInterval(() => {
      renewCommandJob(store.db, job, clock() + leaseMs).catch((error: Error) => log.warn(`slash command job ${job.id}: could not renew its lease (${error.message})`));
    }, Math.max(1_000, Math.floor(leaseMs / 3)));
    renew.unref();
    let error: string | undefined;
    try {
      const command = JSON.parse(job.payloadJson) as SlackCommandPayload;
      const target: ReplyTarget = {
        channelId: command.channelId,
        userId: command.userId,
        ...(command.responseUrl && { respond: (message) => postToResponseUrl(command.responseUrl!, message) }),
      };
      await options.answer(await options.clientFor(command.teamId), command, target);
    } catch (thrown) {
      error = (thrown as Error).message ?? String(thrown);
      log.error(`slash command job ${job.id} failed: ${(thrown as Error).stack ?? error}`);
    } finally {
      clearInterval(renew);
    }
    try {
      await finishCommandJob(store.db, job, { at: clock(), ...(error !== undefined && { error: error.slice(0, 2000) }) });
    } catch (markError) {
      log.warn(`slash command job ${job.id}: answered, but could not be marked done (${(markError as Error).message}); it may be answered again`);
    } finally {
      runningLeases.delete(job.id);
    }
  }

  async function claim(): Promise<void> {
    const room = maxHeld - waiting.size;
    if (stopped || room <= 0) return;
    let jobs: CommandJob[];
    try {
      jobs = await claimCommandJobs(store.db, { now: clock(), leaseMs, limit: room, platform: 'slack' });
    } catch (error) {
      log.warn(`slash command jobs: could not claim (${(error as Error).message}); trying again in ${pollMs} ms`);
      return;
    }
    for (const job of jobs) {
      waiting.set(job.id, job);
      options.queue.push(() => {
        const done = run(job);
        running.add(done);
        return done.finally(() => {
          running.delete(done);
          wake();
        });
      });
    }
  }

  function wake(): void {
    if (stopped) return;
    if (claiming) {
      again = true;
      return;
    }
    claiming = claim().finally(() => {
      claiming = null;
      if (again) {
        again = false;
        wake();
      }
    });
  }

  return {
    async enqueue(command) {
      await enqueueCommandJob(store.db, { platform: 'slack', payloadJson: JSON.stringify(command), now: clock() });
      wake();
    },
    start() {
      if (!stopped) return;
      stopped = false;
      timer = setInterval(wake, pollMs);
      timer.unref();
      wake();
    },
    stop() {
      stopping ??= (async () => {
        stopped = true;
        if (timer) clearInterval(timer);
        await claiming;
        const handBack = async (leases: CommandJobLease[]): Promise<number> => {
          try {
            return await releaseCommandJobs(store.db, leases);
          } catch (error) {
            log.warn(`slash command jobs: could not hand back ${leases.length} job(s) (${(error as Error).message}); they run when their lease ends`);
            return 0;
          }
        };
        const notStarted = [...waiting.values()];
        waiting.clear();
        await handBack(notStarted);
        let graceTimer: NodeJS.Timeout | undefined;
        await Promise.race([Promise.all(running), new Promise<void>((resolve) => (graceTimer = setTimeout(resolve, stopGraceMs)))]);
        clearTimeout(graceTimer);
        const outlived = [...runningLeases.values()];
        runningLeases.clear();
        if (outlived.length > 0) {
          const released = await handBack(outlived);
          log.warn(`slash command jobs: stopping; ${released} job(s) still running after ${stopGraceMs} ms handed back for another replica to answer`);
        }
      })();
      return stopping;
    },
  };
}

/** Posts a message to a slash command's response_url, as bolt's respond() does. */
async function postToResponseUrl(url: string, message: unknown): Promise<void> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(message), signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`response_url answered ${res.status}`);
}
