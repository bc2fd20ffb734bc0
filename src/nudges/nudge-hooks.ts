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
 * `onTransitions` returns at once: deliveries of one stream arriving together are gathered for
 * `debounceMs` (default 5 s) and checked once, so a burst of webhooks costs one signal check,
 * not one per delivery, and never slows ingest down. Failures are logged, never thrown: the
 * transitions are stored, and the daily sweep / hourly outcome job catch up on anything missed.
 */
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
}

export function createNudgeHooks(ctx: NudgeContext, now: () => number = () => Date.now(), options: { debounceMs?: number } = {}): NudgeHooks {
  const debounceMs = options.debounceMs ?? 5_000;
  const queued = new Map<string, Set<string>>();
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();

  const check: NudgeHooks['check'] = async (streamName, keys) => {
    const at = now();
    let signals: SignalPost[] = [];
    let outcomes: OutcomeStep[] = [];
    try {
      outcomes = await runOutcomeNudges(ctx, at, { streamName, keys });
    } catch (error) {
      ctx.log?.warn(`flow-nudge: outcome nudges for ${streamName} failed (${(error as Error).message}); the hourly job tries again.`);
    }
    try {
      signals = (await checkSignals(ctx, at, { streamName })).flatMap((r) => r.posts);
    } catch (error) {
      ctx.log?.warn(`flow-nudge: signal check of ${streamName} failed (${(error as Error).message}); the daily sweep tries again.`);
    }
    return { signals, outcomes };
  };

  const flush = async (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = null;
    const batch = [...queued.entries()];
    queued.clear();
    running = running.then(async () => {
      for (const [stream, keys] of batch) await check(stream, [...keys]);
    });
    await running;
  };

  return {
    async onTransitions(streamName, keys) {
      const set = queued.get(streamName) ?? new Set<string>();
      for (const key of keys) set.add(key);
      queued.set(streamName, set);
      if (debounceMs <= 0) return flush();
      timer ??= setTimeout(() => void flush(), debounceMs);
      timer.unref?.();
    },
    check,
    flush,
  };
}
