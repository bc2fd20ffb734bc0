/**
 * Status → stage lookup of a value-stream map. A status matches exactly but
 * case-insensitively and with surrounding whitespace trimmed: "in progress "
 * is "In Progress"; "InProgress" is not.
 */
import type { StageKind, StreamMap } from '../core/types.ts';

export interface StageOfStatus {
  stage: string;
  kind: StageKind;
  /** position of the stage in the map, 0-based */
  order: number;
}

export type StatusIndex = (status: string) => StageOfStatus | undefined;

/** The form a status is compared in: trimmed, lower case. */
export function normalizeStatus(status: string): string {
  return status.trim().toLowerCase();
}

/**
 * Builds the lookup of a map once; each call is one Map lookup.
 * @example
 * const stageOf = createStatusIndex({ name: 's', timeZone: 'UTC', stages: [{ name: 'Doing', kind: 'touch', statuses: ['In Progress'] }] });
 * stageOf(' in progress'); // { stage: 'Doing', kind: 'touch', order: 0 }
 * stageOf('Blocked'); // undefined
 */
export function createStatusIndex(map: StreamMap): StatusIndex {
  const index = new Map<string, StageOfStatus>();
  map.stages.forEach((stage, order) => {
    const entry: StageOfStatus = { stage: stage.name, kind: stage.kind, order };
    for (const status of stage.statuses) {
      const key = normalizeStatus(status);
      if (!index.has(key)) index.set(key, entry);
    }
  });
  return (status) => index.get(normalizeStatus(status));
}
