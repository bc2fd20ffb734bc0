/**
 * Where a nudge goes: a bound channel, or a direct message to one person (only ever the
 * person asked for an epic's outcome). Validated with zod when read back from the outbox.
 */
import { z } from 'zod';

export const NUDGE_PLATFORMS = ['slack', 'teams', 'playground'] as const;
export type NudgePlatform = (typeof NUDGE_PLATFORMS)[number];

const platform = z.enum(NUDGE_PLATFORMS);

export const channelTargetSchema = z.object({ platform, channelId: z.string().min(1), teamId: z.string().min(1).optional() });
/**
 * `userRef` is the platform's user id when the owner mapping (`/flow owner`) or a lookup knew
 * it, else the owner's e-mail as the tracker reported it: the Slack deliverer resolves an
 * e-mail with users.lookupByEmail, the Teams deliverer through the roster / stored refs.
 */
export const directTargetSchema = z.object({ platform, userRef: z.string().min(1), teamId: z.string().min(1).optional() });
export const nudgeTargetSchema = z.union([channelTargetSchema, directTargetSchema]);

export type ChannelTarget = z.infer<typeof channelTargetSchema>;
export type DirectTarget = z.infer<typeof directTargetSchema>;
export type NudgeTarget = z.infer<typeof nudgeTargetSchema>;

/** True for a direct message target. */
export function isDirectTarget(target: NudgeTarget): target is DirectTarget {
  return 'userRef' in target;
}

/** Whether a platform name is one the bot posts to. */
export function isNudgePlatform(value: string): value is NudgePlatform {
  return (NUDGE_PLATFORMS as readonly string[]).includes(value);
}

/** A short stable text naming the target, for dedup keys: `slack:C123` or `slack:@ana@example.com`. */
export function targetKey(target: NudgeTarget): string {
  return isDirectTarget(target) ? `${target.platform}:@${target.userRef}` : `${target.platform}:${target.channelId}`;
}
