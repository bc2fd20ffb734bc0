/**
 * Statuses found in tracker data that the value-stream map does not name.
 * They are reported with the fix, never guessed.
 */
import type { StreamMap } from '../core/types.ts';
import { createStatusIndex, normalizeStatus } from './status-index.ts';

export interface UnknownStatus {
  status: string;
  /** e.g. "add 'QA Ready' to a stage in checkout.yaml" */
  fix: string;
}

/** A status a tracker delivery used that the map does not name, with the item (and the status it came from) it was seen with. */
export interface UnmappedStatus extends UnknownStatus {
  /** the map's file (or config key) to add it to */
  mapOrigin: string;
  seenIn?: { key: string; from: string | null };
}

/**
 * Each status (first spelling seen, in order of first appearance) that no
 * stage of the map names. Matching is case-insensitive with whitespace
 * trimmed, as everywhere; empty statuses are ignored.
 * @example
 * findUnknownStatuses(map, ['In Progress', 'QA Ready'], 'checkout.yaml');
 * // → [{ status: 'QA Ready', fix: "add 'QA Ready' to a stage in checkout.yaml" }]
 */
export function findUnknownStatuses(map: StreamMap, statuses: Iterable<string>, fileName: string): UnknownStatus[] {
  const stageOf = createStatusIndex(map);
  const seen = new Set<string>();
  const unknown: UnknownStatus[] = [];
  for (const status of statuses) {
    const key = normalizeStatus(status);
    if (key === '' || seen.has(key)) continue;
    seen.add(key);
    if (stageOf(status)) continue;
    const name = status.trim();
    unknown.push({ status: name, fix: `add '${name}' to a stage in ${fileName}` });
  }
  return unknown;
}
