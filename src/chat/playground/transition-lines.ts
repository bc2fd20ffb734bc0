/**
 * Tracker webhooks in the channel: after a delivery's transitions are committed, one line
 * per changed item, e.g. "DEMO-12 moved In Progress → In Review", so a person can watch a
 * curl'd webhook arrive, and the nudges it may trigger right below it.
 */
import type { Store } from '../../store/database.ts';
import { getStream } from '../../store/value-streams.ts';
import { getWorkItem } from '../../store/work-items.ts';
import type { Transition } from '../../core/types.ts';
import type { NewMessage } from './channel-log.ts';

/** At most this many items are named per delivery; the rest are counted. */
export const MAX_LINES = 10;

const TRACKER_NAMES: Record<string, string> = {
  jira: 'Jira',
  github: 'GitHub',
  gitlab: 'GitLab',
  linear: 'Linear',
  'azure-devops': 'Azure DevOps',
};

/** The line of an item's latest transition. */
export function transitionLine(key: string, title: string, last: Transition | undefined): string {
  const what = !last ? 'changed' : last.from === null ? `was created in ${last.to}` : `moved ${last.from} → ${last.to}`;
  return `${key} ${what}${title ? ` · ${title}` : ''}`;
}

/** The latest transition of a history in any order (by time; on a tie, the one stored last). */
function latest(transitions: readonly Transition[]): Transition | undefined {
  let last: Transition | undefined;
  for (const t of transitions) if (!last || t.at >= last.at) last = t;
  return last;
}

/**
 * The channel message for a delivery that changed `keys` of stream `streamName`, or null when
 * none of them can be read back (the stream is gone).
 */
export async function transitionMessage(store: Store, streamName: string, keys: readonly string[]): Promise<NewMessage | null> {
  const stream = await getStream(store.db, streamName);
  if (!stream || keys.length === 0) return null;
  const lines: string[] = [];
  let source = '';
  for (const key of keys.slice(0, MAX_LINES)) {
    const item = await getWorkItem(store.db, stream.id, key);
    if (!item) continue;
    source ||= item.source;
    lines.push(transitionLine(item.key, item.title, latest(item.transitions)));
  }
  if (lines.length === 0) return null;
  if (keys.length > MAX_LINES) lines.push(`and ${keys.length - MAX_LINES} more items`);
  return {
    author: 'tracker',
    name: TRACKER_NAMES[source] ?? 'Tracker',
    kind: 'transition',
    text: lines.join('\n'),
    label: `Webhook · stream ${streamName}`,
  };
}
