/**
 * The value stream repository: one row per named stream, holding its map.
 */
import type { Kysely } from 'kysely';
import type { StreamMap } from '../core/types.ts';
import type { Database } from './schema.ts';

export interface StoredStream {
  id: number;
  map: StreamMap;
}

/**
 * Stores the map under its name (a map with the same name is replaced, and
 * keeps its id and items). Returns the stream id.
 */
export async function saveStream(db: Kysely<Database>, map: StreamMap, now: number = Date.now()): Promise<number> {
  const row = await db
    .insertInto('value_stream')
    .values({ name: map.name, map_json: JSON.stringify(map), created_at: now })
    .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ map_json: eb.ref('excluded.map_json') })))
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The stream of that name, or null. */
export async function getStream(db: Kysely<Database>, name: string): Promise<StoredStream | null> {
  const row = await db.selectFrom('value_stream').select(['id', 'map_json']).where('name', '=', name).executeTakeFirst();
  return row ? { id: row.id, map: JSON.parse(row.map_json) as StreamMap } : null;
}

/** The stream with that id, or null. */
export async function getStreamById(db: Kysely<Database>, id: number): Promise<StoredStream | null> {
  const row = await db.selectFrom('value_stream').select(['id', 'map_json']).where('id', '=', id).executeTakeFirst();
  return row ? { id: row.id, map: JSON.parse(row.map_json) as StreamMap } : null;
}

/** Every stream, by name. */
export async function listStreams(db: Kysely<Database>): Promise<(StoredStream & { name: string; createdAt: number })[]> {
  const rows = await db.selectFrom('value_stream').select(['id', 'name', 'map_json', 'created_at']).orderBy('name').execute();
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    map: JSON.parse(row.map_json) as StreamMap,
    createdAt: Number(row.created_at),
  }));
}
