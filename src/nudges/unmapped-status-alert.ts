/**
 * A tracker moved an item into a status the stream's map does not name: the move is stored but
 * counts in no stage, so the channel is told, once per status and stream, with the fix (the map
 * file and the stage to add the status to). The server log keeps its line per delivery.
 */
import { recordNudgeSent } from '../store/nudges-sent.ts';
import type { UnmappedStatus } from '../workflow/unknown-statuses.ts';
import { normalizeStatus } from '../workflow/status-index.ts';
import { suggestStage } from '../workflow/suggest-stage.ts';
import { bindingTarget, listBoundStreams } from './bound-streams.ts';
import type { NudgeContext } from './nudge-context.ts';
import type { NudgeMessage } from './nudge-payload.ts';
import { targetKey } from './nudge-target.ts';
import { inNudgeTransaction, postNudge } from './post-nudge.ts';
import type { StreamMap } from '../core/types.ts';

/**
 * The message for one unmapped status.
 * @example unmappedStatusMessage('checkout', map, { status: 'QA Ready', mapOrigin: 'maps/checkout.yaml', seenIn: { key: 'CHK-7', from: 'In Progress' }, fix: '…' }).text
 * // "CHK-7 moved from 'In Progress' to 'QA Ready', a status the value-stream map of checkout does not name: … add 'QA Ready' to the statuses of stage Code review (wait) in maps/checkout.yaml …"
 */
export function unmappedStatusMessage(streamName: string, map: StreamMap, unmapped: UnmappedStatus): NudgeMessage {
  const seen = unmapped.seenIn;
  const move = seen ? (seen.from ? `${seen.key} moved from '${seen.from}' to '${unmapped.status}'` : `${seen.key} is in '${unmapped.status}'`) : `An item is in '${unmapped.status}'`;
  const stage = suggestStage(map, unmapped.status, seen?.from);
  const fix = stage
    ? `add '${unmapped.status}' to the statuses of stage ${stage.name} (${stage.kind}) in ${unmapped.mapOrigin}, or to the stage it belongs to, and restart flow-nudge`
    : `add '${unmapped.status}' to the statuses of the stage it belongs to in ${unmapped.mapOrigin} (stages: ${map.stages.map((s) => s.name).join(', ')}), and restart flow-nudge`;
  return {
    text: `${move}, a status the value-stream map of ${streamName} does not name. The move is stored, but its time counts in no stage until the map names it. Fix: ${fix}. (Said once for this status.)`,
  };
}

/**
 * Tells each bound channel of the stream about each status, once per stream and status (a
 * nudge_sent record, written with the outbox rows in one transaction). A stream with no bound
 * channel records nothing, so a channel bound later still hears of the next one.
 */
export async function alertUnmappedStatuses(ctx: NudgeContext, streamName: string, statuses: readonly UnmappedStatus[], now: number): Promise<number> {
  const [bound] = await listBoundStreams(ctx.store, { streamName });
  if (!bound || statuses.length === 0) return 0;
  let told = 0;
  for (const unmapped of statuses) {
    const key = `unmapped-status:${bound.streamId}:${normalizeStatus(unmapped.status)}`;
    const message = unmappedStatusMessage(bound.name, bound.map, unmapped);
    await inNudgeTransaction(ctx, async (tx) => {
      if (!(await recordNudgeSent(tx.store.db, 'unmapped-status', key, now))) return;
      told += 1;
      for (const binding of bound.bindings) {
        const target = bindingTarget(binding);
        await postNudge(tx, { kind: 'unmapped-status', target, message, dedupKey: `${key}:${targetKey(target)}` }, now);
      }
    });
  }
  return told;
}
