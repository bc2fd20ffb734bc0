/**
 * Writes a nudge to the outbox: the one way nudges leave src/nudges. The dedup key makes a
 * second write of the same nudge (another replica, a repeated job) add nothing.
 */
import { enqueueOutbox } from '../store/outbox.ts';
import type { NudgeContext } from './nudge-context.ts';
import { serializeNudge, type NudgeMessage } from './nudge-payload.ts';
import type { NudgeTarget } from './nudge-target.ts';

export const NUDGE_KINDS = ['signal', 'aging', 'checkin', 'outcome-ask', 'outcome-reminder', 'outcome-review', 'experiment-review'] as const;
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
