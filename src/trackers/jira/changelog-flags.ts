/**
 * Flag events in a Jira changelog, the same in JSON exports, REST backfill and webhooks:
 * - the Flagged field (`field: "Flagged"`, a custom field whose id differs per site): set when its
 *   new value is not empty (Jira writes `Impediment`), cleared when it becomes empty;
 * - the labels field (`field: "labels"`, space-separated names): each label added is set, each
 *   removed is cleared.
 * Other fields are not read.
 */
import { FLAGGED, labelFlag } from '../../core/blocked-spans.ts';
import type { FlagEvent } from '../../core/types.ts';

/** A changelog item's own string property (`toString` would otherwise find Object.prototype.toString). */
function ownText(item: object, name: 'toString' | 'fromString'): string {
  if (!Object.hasOwn(item, name)) return '';
  const value = (item as Record<string, unknown>)[name];
  return typeof value === 'string' ? value.trim() : '';
}

const words = (text: string): string[] => text.split(/\s+/).filter((word) => word !== '');

/**
 * The flag events of one changelog entry's items at `at`.
 * @example
 * changelogFlags([{ field: 'Flagged', fromString: null, toString: 'Impediment' }], 1000);
 * // [{ flag: 'flagged', on: true, at: 1000 }]
 */
export function changelogFlags(items: readonly { field?: string }[], at: number): FlagEvent[] {
  const out: FlagEvent[] = [];
  for (const item of items) {
    const field = item.field?.trim().toLowerCase();
    if (field === 'flagged') {
      const from = ownText(item, 'fromString');
      const to = ownText(item, 'toString');
      if (to !== '') out.push({ flag: FLAGGED, on: true, at });
      else if (from !== '') out.push({ flag: FLAGGED, on: false, at });
    } else if (field === 'labels') {
      const before = new Set(words(ownText(item, 'fromString')));
      const after = new Set(words(ownText(item, 'toString')));
      for (const label of after) if (!before.has(label)) out.push({ flag: labelFlag(label), on: true, at });
      for (const label of before) if (!after.has(label)) out.push({ flag: labelFlag(label), on: false, at });
    }
  }
  return out;
}
