/**
 * Status → stage lookup of a value-stream map. Statuses match exactly first,
 * then ignoring case and surrounding spaces ("In Progress" = "in progress");
 * anything else is unknown and reported, never guessed.
 */
import type { StageKind, StreamMap } from './types.ts';

export interface StageOfStatus {
  stage: string;
  kind: StageKind;
  /** position of the stage in the map, 0-based */
  order: number;
}

export type StageLookup = (status: string) => StageOfStatus | undefined;

const lookups = new WeakMap<StreamMap, StageLookup>();

/** The form statuses are compared in: trimmed, lower case ("In Progress " is "in progress"; "InProgress" is not). */
export function normalizeStatus(status: string): string {
  return status.trim().toLowerCase();
}

/**
 * The (cached) lookup of a map.
 * @example
 * const stageOf = getStageLookup({ name: 's', timeZone: 'UTC', stages: [{ name: 'Doing', kind: 'touch', statuses: ['In Progress'] }] });
 * stageOf('in progress'); // { stage: 'Doing', kind: 'touch', order: 0 }
 * stageOf('Blocked'); // undefined
 */
export function getStageLookup(map: StreamMap): StageLookup {
  let lookup = lookups.get(map);
  if (lookup) return lookup;
  const exact = new Map<string, StageOfStatus>();
  const loose = new Map<string, StageOfStatus>();
  map.stages.forEach((stage, order) => {
    const entry: StageOfStatus = { stage: stage.name, kind: stage.kind, order };
    for (const status of stage.statuses) {
      if (!exact.has(status)) exact.set(status, entry);
      const key = normalizeStatus(status);
      if (!loose.has(key)) loose.set(key, entry);
    }
  });
  // the exact match first spares the normalising of each status of a large history
  lookup = (status) => exact.get(status) ?? loose.get(normalizeStatus(status));
  lookups.set(map, lookup);
  return lookup;
}
