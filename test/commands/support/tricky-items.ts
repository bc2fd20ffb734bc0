/**
 * What the history-read tests (windowed-answers, compact-answers) share: their clock, items made
 * to trip a read, and a stream bound to a channel as a command sees it.
 */
import type { BoundStream } from '../../../src/commands/context.ts';
import type { ItemType, StreamMap, WorkItem } from '../../../src/core/types.ts';

export const DAY = 86_400_000;
export const NOW = Date.UTC(2026, 11, 3, 6);

/** `daysAgo` days before NOW, at `hour` o'clock (NOW is 06:00 UTC). */
export const at = (daysAgo: number, hour = 10): number => NOW - daysAgo * DAY + (hour - 6) * 3_600_000;

/** A work item named `Tricky KEY`, created `createdDaysAgo` days before NOW. */
export function trickyItem(key: string, transitions: WorkItem['transitions'], options: { createdDaysAgo?: number; type?: ItemType } = {}): WorkItem {
  return { key, type: options.type ?? 'feature', title: `Tricky ${key}`, parentKey: null, isEpic: false, createdAt: at(options.createdDaysAgo ?? 200), transitions };
}

/** The stream bound to Slack channel C-FLOW, as a command gets it. */
export function boundStream(streamId: number, map: StreamMap): BoundStream {
  return { binding: { platform: 'slack', channelId: 'C-FLOW', teamId: 'T1', streamId } as BoundStream['binding'], streamId, name: map.name, map };
}
