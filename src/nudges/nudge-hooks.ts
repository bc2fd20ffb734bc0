/**
 * What the webhook path calls after a delivery's transitions are committed: the stream's signal
 * check, and the outcome nudges of the items that changed (a new epic → its owner is asked at
 * once; a closed epic → asked for the actual outcome). Wire it once at start-up:
 *
 * @example
 * const hooks = createNudgeHooks(ctx);
 * await startServer({ ..., onTransitions: hooks.onTransitions });
 * // on shutdown: await hooks.flush();
 *
 * `onTransitions` returns at once: deliveries of one stream arriving together are gathered until
 * the end of their `debounceMs` window (default 5 s, windows aligned to the clock) and checked
 * once, so a burst of webhooks costs one signal check, not one per delivery, and never slows
 * ingest down. Replicas share the signal check: at the window's end each replica that gathered
 * deliveries of the stream claims (stream, window) in `job_run` (job 'signal-check', as the
 * scheduled jobs claim their periods); one wins and checks, the others skip. The winner starts
 * after the window closed, so it reads every transition committed in it, whichever replica stored
 * it. Outcome nudges stay with the replica that stored the items (they name its keys).
 * `flush` (shutdown, tests) checks everything queued at once, without a claim. Failures are logged, never thrown: the
 * transitions are stored, and the daily sweep / hourly outcome job catch up on anything missed.
 */
import { claimJobRun, finishJobRun } from '../store/job-runs.ts';
import { hostname } from 'node:os';
import type { NudgeContext } from './nudge-context.ts';
import { runOutcomeNudges, type OutcomeStep } from './outcome-ask.ts';
import { checkSignals, type SignalPost } from './signal-alert.ts';

export interface NudgeHooks {
  /** the startServer `onTransitions` option: queues a check of the stream */
  onTransitions(streamName: string, keys: string[]): Promise<void>;
  /** checks a stream now and returns what was enqueued (tests, the playground) */
  check(streamName: string, keys: string[]): Promise<{ signals: SignalPost[]; outcomes: OutcomeStep[] }>;
  /** runs every queued check now (shutdown, tests) */
  flush(): Promise<void>;
  /** signal checks this replica ran after webhook activity, and those it left to the replica that claimed the window */
  stats(): { signalChecks: number; signalChecksSkipped: number };
}

/** The job_run job name of a stream's debounced signal check; the period key is `<window start epoch ms>:<stream>`. */
export const SIGNAL_CHECK_JOB = 'signal-check';
/** Claims of past windows older than this are deleted after each check (the table stays small). */
const CLAIM_KEEP_MS = 60 * 60_000;

export interface NudgeHookOptions {
  /** the gathering window (default 5 s); 0 checks at once, with no claim */
  debounceMs?: number;
  /** who claims the windows (default host:pid) */
  replicaId?: string;
}

export function createNudgeHooks(ctx: NudgeContext, now: () => number = () => Date.now(), options: NudgeHookOptions = {}): NudgeHooks {
  const debounceMs = options.debounceMs ?? 5_000;
  const replicaId = options.replicaId ?? `${hostname()}:${process.pid}`;
  /** stream → window start → keys gathered in that window */
  const queued = new Map<string, Map<number, Set<string>>>();
  /** window start → the timer that runs its checks at its end */
  const timers = new Map<number, NodeJS.Timeout>();
  let running: Promise<void> = Promise.resolve();
  const counts = { signalChecks: 0, signalChecksSkipped: 0 };

  const outcomeNudges = async (streamName: string, keys: string[], at: number): Promise<OutcomeStep[]> => {
    try {
      return await runOutcomeNudges(ctx, at, { streamName, keys });
    } catch (error) {
      ctx.log?.warn(`flow-nudge: outcome nudges for ${streamName} failed (${(error as Error).message}); the hourly job tries again.`);
      return [];
    }
  };
  const signalCheck = async (streamName: string, at: number): Promise<SignalPost[]> => {
    try {
      return (await checkSignals(ctx, at, { streamName })).flatMap((r) => r.posts);
    } catch (error) {
      ctx.log?.warn(`flow-nudge: signal check of ${streamName} failed (${(error as Error).message}); the daily sweep tries again.`);
      return [];
    }
  };

  const check: NudgeHooks['check'] = async (streamName, keys) => {
    const at = now();
    const outcomes = await outcomeNudges(streamName, keys, at);
    return { signals: await signalCheck(streamName, at), outcomes };
  };

  /** The window's signal check, on whichever replica claims (stream, window) first. */
  const claimedCheck = async (streamName: string, window: number, keys: string[]): Promise<void> => {
    const at = now();
    await outcomeNudges(streamName, keys, at);
    const periodKey = `${window}:${streamName}`;
    let claimed = false;
    try {
      claimed = (await claimJobRun(ctx.store.db, SIGNAL_CHECK_JOB, periodKey, replicaId, at)).claimed;
    } catch (error) {
      ctx.log?.warn(`flow-nudge: could not claim the signal check of ${streamName} (${(error as Error).message}); the daily sweep checks it.`);
      return;
    }
    if (!claimed) {
      counts.signalChecksSkipped += 1;
      return;
    }
    counts.signalChecks += 1;
    await signalCheck(streamName, at);
    try {
      await finishJobRun(ctx.store.db, SIGNAL_CHECK_JOB, periodKey, replicaId, now());
      await ctx.store.db
        .deleteFrom('job_run')
        .where('job', '=', SIGNAL_CHECK_JOB)
        .where('claimed_at', '<', at - CLAIM_KEEP_MS)
        .execute();
    } catch (error) {
      ctx.log?.warn(`flow-nudge: could not mark the signal check of ${streamName} done (${(error as Error).message}).`);
    }
  };

  const take = (due: (window: number) => boolean): [string, number, string[]][] => {
    const batch: [string, number, string[]][] = [];
    for (const [stream, windows] of queued) {
      for (const [window, keys] of windows) {
        if (!due(window)) continue;
        batch.push([stream, window, [...keys]]);
        windows.delete(window);
      }
      if (windows.size === 0) queued.delete(stream);
    }
    return batch;
  };

  /** At a window's end: the claimed checks of every stream gathered in it. */
  const runWindow = async (window: number): Promise<void> => {
    const batch = take((w) => w === window);
    running = running.then(async () => {
      for (const [stream, w, keys] of batch) await claimedCheck(stream, w, keys);
    });
    await running;
  };

  const flush = async (): Promise<void> => {
    for (const timer of timers.values()) clearTimeout(timer);
    timers.clear();
    const batch = take(() => true);
    running = running.then(async () => {
      // the same stream may have keys of several windows: one check with all of them
      const byStream = new Map<string, Set<string>>();
      for (const [stream, , keys] of batch) byStream.set(stream, new Set([...(byStream.get(stream) ?? []), ...keys]));
      for (const [stream, keys] of byStream) await check(stream, [...keys]);
    });
    await running;
  };

  return {
    async onTransitions(streamName, keys) {
      if (debounceMs <= 0) {
        await check(streamName, keys);
        return;
      }
      const at = now();
      const window = Math.floor(at / debounceMs) * debounceMs;
      const windows = queued.get(streamName) ?? new Map<number, Set<string>>();
      queued.set(streamName, windows);
      const set = windows.get(window) ?? new Set<string>();
      for (const key of keys) set.add(key);
      windows.set(window, set);
      if (timers.has(window)) return;
      const timer = setTimeout(() => {
        timers.delete(window);
        void runWindow(window);
      }, window + debounceMs - at);
      timer.unref?.();
      timers.set(window, timer);
    },
    check,
    flush,
    stats: () => ({ ...counts }),
  };
}
