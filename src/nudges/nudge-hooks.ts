/**
 * What the webhook path calls after a delivery's transitions are committed: the stream's signal
 * check, and the outcome nudges of the items that changed (a new epic → its owner is asked at
 * once; a closed epic → asked for the actual outcome). Wire it once at start-up:
 *
 * @example
 * const hooks = createNudgeHooks(ctx);
 * await startServer({ ..., onTransitions: hooks.onTransitions });
 *
 * Failures are logged, never thrown into the webhook processor: the transitions are stored,
 * and the daily sweep / hourly outcome job catch up on anything missed.
 */
import type { NudgeContext } from './nudge-context.ts';
import { runOutcomeNudges, type OutcomeStep } from './outcome-ask.ts';
import { checkSignals, type SignalPost } from './signal-alert.ts';

export interface NudgeHooks {
  /** the startServer `onTransitions` option */
  onTransitions(streamName: string, keys: string[]): Promise<void>;
  /** the same, returning what was enqueued (tests, the playground) */
  check(streamName: string, keys: string[]): Promise<{ signals: SignalPost[]; outcomes: OutcomeStep[] }>;
}

export function createNudgeHooks(ctx: NudgeContext, now: () => number = () => Date.now()): NudgeHooks {
  const hooks: NudgeHooks = {
    async onTransitions(streamName, keys) {
      await hooks.check(streamName, keys);
    },
    async check(streamName, keys) {
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
    },
  };
  return hooks;
}
