/**
 * Saves a stream of flow-nudge.yaml at start. The file is the source of truth for its streams,
 * so a changed map is applied, never silently: the change is logged with the same stage diff
 * that `flow-nudge import` shows when it refuses a different map.
 */
import type { Kysely } from 'kysely';
import type { StreamMap } from '../core/types.ts';
import type { Database } from '../store/schema.ts';
import { getStream, saveStream } from '../store/value-streams.ts';
import { mapDifferences } from '../workflow/map-diff.ts';

export interface ConfiguredStream {
  name: string;
  map: StreamMap;
  /** where the map came from (its file, or the config key) */
  mapOrigin: string;
}

/**
 * Stores the stream's map; returns its id. When a stored map of that name differs, `warn` gets
 * one line naming the stream, where the map came from, and each difference.
 * @example warn('flow-nudge: the map of stream checkout changed (maps/checkout.yaml); … - stage Code review (wait: In Review); + stage …')
 */
export async function saveConfiguredStream(db: Kysely<Database>, stream: ConfiguredStream, now: number, warn: (line: string) => void): Promise<number> {
  const map = { ...stream.map, name: stream.name };
  const stored = await getStream(db, stream.name);
  const differences = stored ? mapDifferences(stored.map, map) : [];
  if (differences.length > 0) {
    warn(
      `flow-nudge: the map of stream ${stream.name} changed (${stream.mapOrigin}); the new map is stored and metrics read it from now on: ${differences.join('; ')}`,
    );
  }
  return saveStream(db, map, now);
}
