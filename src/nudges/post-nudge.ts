/**
 * Writes a nudge to the outbox: the one way nudges leave src/nudges. The dedup key makes a
 * second write of the same nudge (another replica, a repeated job) add nothing.
 * `inNudgeTransaction` writes a nudge's sent record and its outbox row together, so a crash
 * never leaves a nudge recorded as said but never enqueued.
 */
import { enqueueOutbox } from '../store/outbox.ts';
import type { NudgeContext } from './nudge-context.ts';
import { serializeNudge, type NudgeMessage } from './nudge-payload.ts';
import type { NudgeTarget } from './nudge-target.ts';

export const NUDGE_KINDS = ['signal', 'aging', 'checkin', 'outcome-ask', 'outcome-reminder', 'outcome-review', 'experiment-review', 'unmapped-status'] as const;
export type NudgeKind = (typeof NUDGE_KINDS)[number];

export interface NudgeToPost {
  kind: NudgeKind;
  target: NudgeTarget;
  message: NudgeMessage;
  dedupKey: string;
}

/**
 * Enqueues one nudge; returns whether this call created the outbox row.
 * @example await postNudge(ctx, { kind: 'aging', target, message, dedupKey: 'aging:slack:C1:…' }, now)
 */
export async function postNudge(ctx: NudgeContext, nudge: NudgeToPost, now: number): Promise<boolean> {
  if (!(NUDGE_KINDS as readonly string[]).includes(nudge.kind)) {
    throw new TypeError(`Nudge kind "${nudge.kind}" is not known: use one of ${NUDGE_KINDS.join(', ')}.`);
  }
  const { created } = await enqueueOutbox(
    ctx.store.db,
    {
      kind: nudge.kind,
      platform: nudge.target.platform,
      target: JSON.stringify(nudge.target),
      payloadJson: serializeNudge(nudge.message),
      dedupKey: nudge.dedupKey,
    },
    now,
  );
  if (created) ctx.onEnqueued?.();
  return created;
}

/**
 * Runs `work` in one database transaction with a context whose store writes inside it: the
 * nudge_sent records and outbox rows it writes commit together, or not at all. Render charts
 * before (a transaction should not wait on rendering); the outbox worker is woken after commit.
 * @example
 * const chart = await render();
 * await inNudgeTransaction(ctx, async (tx) => {
 *   if (await recordNudgeSent(tx.store.db, 'signal', key, now)) await postNudge(tx, { kind: 'signal', target, dedupKey: key, message }, now);
 * });
 */
export async function inNudgeTransaction<T>(ctx: NudgeContext, work: (tx: NudgeContext) => Promise<T>): Promise<T> {
  let enqueued = false;
  const result = await ctx.store.db.transaction().execute((trx) =>
    work({ ...ctx, store: { ...ctx.store, db: trx }, onEnqueued: () => {
        enqueued = true;
      } }),
  );
  if (enqueued) ctx.onEnqueued?.();
  return result;
}
