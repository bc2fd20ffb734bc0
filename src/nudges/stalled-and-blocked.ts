/**
 * The blocked and stalled items shown next to the aging thresholds, in the same words by
 * `/flow aging` and the daily aging alert: items, never people.
 */
import { blockedItems, DEFAULT_STALLED_AFTER_DAYS, stalledItems, type FlowInput, type StreamMap } from '../core/index.ts';
import type { ReplySection } from '../reply/reply.ts';

const DAY = 86_400_000;
/** Items listed per section; the rest are counted. */
const SHOWN = 5;

const days = (n: number): string => `${Number.isInteger(n) ? n : n.toFixed(1)} day${n === 1 ? '' : 's'}`;
const list = (lines: string[]): string => (lines.length <= SHOWN ? lines.join('\n') : `${lines.slice(0, SHOWN).join('\n')}\n…and ${lines.length - SHOWN} more`);

/**
 * A section of the items blocked now (longest blocked first), then one of the items stalled
 * (no status change for the map's stalledAfterDays, longest idle first); none when there are none.
 * @example stalledAndBlockedSections(timelines, map, now).map((s) => s.title)
 * // ['Blocked now: 2 items', 'Stalled: no status change for 5+ days']
 */
export function stalledAndBlockedSections(input: FlowInput, map: StreamMap, now: number): ReplySection[] {
  const sections: ReplySection[] = [];
  const blocked = blockedItems(input, map, now);
  if (blocked.length > 0) {
    sections.push({
      title: `Blocked now: ${blocked.length} item${blocked.length === 1 ? '' : 's'}`,
      text: list(blocked.map((b) => `${b.key} ${b.title} — blocked in ${b.stage}, ${days(Math.round((b.blockedMs / DAY) * 10) / 10)} of its time there`)),
    });
  }
  const stalled = stalledItems(input, map, now);
  if (stalled.length > 0) {
    sections.push({
      title: `Stalled: no status change for ${map.stalledAfterDays ?? DEFAULT_STALLED_AFTER_DAYS}+ days`,
      text: list(stalled.map((s) => `${s.key} ${s.title} — ${days(s.idleDays)} in ${s.stage} without a move`)),
    });
  }
  return sections;
}
