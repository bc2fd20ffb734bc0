/**
 * The one interface chat adapters implement to post nudges. The Slack app, the Teams app and
 * the playground each register one deliverer with the outbox worker:
 *
 * @example
 * worker.register({
 *   platform: 'slack',
 *   async send(target, reply, meta) {
 *     const res = await postToSlack(target, reply);           // Block Kit, chart upload…
 *     if (res.status === 429) return { retryAfterMs: res.retryAfterSeconds * 1000 };
 *     if (res.status >= 500) return { retryAfterMs: 0 };       // the worker backs off
 *     if (!res.ok) return { failed: `Slack said ${res.error}: invite the bot to the channel` };
 *     return 'sent';
 *   },
 * });
 *
 * Return `{ retryAfterMs }` for 429 (the platform's Retry-After) and 5xx / network trouble
 * (0 lets the worker pick its exponential backoff); `{ failed }` only when trying again cannot
 * help (channel archived, bot removed, user not found), with the fix in words. A thrown error
 * counts as retryable.
 *
 * A delivery of several platform calls (post the text, then upload each chart) runs each call
 * through `runStep(meta, name, call)`: the outbox records the call's answer (a message ts, a
 * file id) as soon as it returns, and on a retry `runStep` hands back the recorded answer
 * instead of calling again, so a 429 on the second chart never posts the text twice. Only
 * the moment between the platform's "ok" and that record is left: a crash there repeats the
 * one call.
 */
import type { Reply } from '../reply/reply.ts';
import type { NudgeMessage } from './nudge-payload.ts';
import { isNudgePlatform, type NudgeTarget } from './nudge-target.ts';

export type DeliveryOutcome = 'sent' | { retryAfterMs: number } | { failed: string };

export interface DeliveryMeta {
  /** the outbox row's dedup key: the same on every retry of one nudge */
  dedupKey: string;
  /** what kind of nudge: signal, aging, checkin, outcome-ask, outcome-reminder, outcome-review, experiment-review, unmapped-status */
  kind: string;
  /** 1 on the first attempt (again 1 after an attempt that made progress) */
  attempt: number;
  /**
   * Runs one platform call of the delivery once (see runStep). The outbox worker provides it;
   * a caller without an outbox (a test, the playground) may leave it out.
   */
  step?(name: string, call: () => Promise<string>): Promise<string>;
}

/**
 * Runs the step `name` of a delivery: the answer recorded by an earlier attempt if there is
 * one, else the call (its answer recorded before this returns). Throws LeaseLostError when
 * another worker holds the row now: stop sending.
 * @example const ts = await runStep(meta, 'message', async () => (await client.chat.postMessage(args)).ts!);
 */
export function runStep(meta: DeliveryMeta, name: string, call: () => Promise<string>): Promise<string> {
  return meta.step ? meta.step(name, call) : call();
}

/** The row of this delivery is no longer ours (its lease ran out and another worker took it). */
export class LeaseLostError extends Error {
  constructor(dedupKey: string) {
    super(`the outbox row ${dedupKey} is held by another worker now (this worker's lease ran out); it stops sending`);
    this.name = 'LeaseLostError';
  }
}

/** The outbox worker is stopping: this step is not started; the row is handed back with the steps done so far. */
export class DeliveryPausedError extends Error {
  constructor(dedupKey: string) {
    super(`the outbox worker is stopping: ${dedupKey} is handed back after its finished steps and resumed by another worker`);
    this.name = 'DeliveryPausedError';
  }
}

export interface Deliverer {
  platform: string;
  send(target: NudgeTarget, reply: Reply & Pick<NudgeMessage, 'moreCharts'>, meta: DeliveryMeta): Promise<DeliveryOutcome>;
}

/** Rejects, at registration, a deliverer the worker could never route to. */
export function validateDeliverer(deliverer: Deliverer, registered: ReadonlyMap<string, Deliverer>): void {
  if (!deliverer || typeof deliverer.send !== 'function') {
    throw new TypeError('A deliverer needs a send(target, reply, meta) function returning "sent", { retryAfterMs } or { failed }.');
  }
  if (!isNudgePlatform(deliverer.platform)) {
    throw new TypeError(`Deliverer platform "${deliverer.platform}" is not one nudges are written for: use slack, teams or playground.`);
  }
  if (registered.has(deliverer.platform)) {
    throw new Error(`A deliverer for ${deliverer.platform} is registered already: register one per platform (wrap both in one if you need two transports).`);
  }
}

/** Reads what a deliverer returned; anything else is a bug in the adapter, reported as retryable. */
export function readOutcome(value: unknown): DeliveryOutcome | { invalid: string } {
  if (value === 'sent') return 'sent';
  if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (typeof v.retryAfterMs === 'number' && Number.isFinite(v.retryAfterMs) && v.retryAfterMs >= 0) return { retryAfterMs: v.retryAfterMs };
    if (typeof v.failed === 'string') return { failed: v.failed };
  }
  return { invalid: `the deliverer returned ${JSON.stringify(value)}; it must return "sent", { retryAfterMs: number } or { failed: string }` };
}
