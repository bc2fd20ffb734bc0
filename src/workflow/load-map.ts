/**
 * Reads a value-stream map (YAML or JSON) and validates it. A map that
 * cannot be used is refused with a MapError naming the file, the key path
 * and the fix.
 *
 * Statuses match exactly but case-insensitively, with surrounding
 * whitespace trimmed ("in review " is "In Review").
 */
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { StreamMap } from '../core/types.ts';
import { formatKeyPath, MapError } from './map-error.ts';
import { createStreamMapSchema } from './map-schema.ts';

/**
 * Validates a map given as YAML/JSON text or as an already parsed object.
 * `fileName` is only used in messages. A map without `name` is named after
 * its file (checkout.yaml → checkout).
 *
 * @example
 * parseStreamMap('name: checkout\ntimeZone: UTC\nstages:\n  - { name: Done, kind: done, statuses: [Done] }', 'checkout.yaml');
 * // → { name: 'checkout', timeZone: 'UTC', stages: [{ name: 'Done', kind: 'done', statuses: ['Done'] }] }
 */
export function parseStreamMap(input: string | unknown, fileName: string): StreamMap {
  const value = typeof input === 'string' ? parseText(input, fileName) : input;
  if (value === null || value === undefined) {
    throw new MapError(fileName, [{ path: '', message: 'the map is empty: write name, timeZone and stages (a list of { name, kind, statuses })' }]);
  }
  const withName =
    typeof value === 'object' && !Array.isArray(value) && !('name' in value)
      ? { name: basename(fileName, extname(fileName)), ...value }
      : value;
  const result = createStreamMapSchema(fileName).safeParse(withName);
  if (!result.success) {
    throw new MapError(
      fileName,
      result.error.issues.map((issue) => ({ path: formatKeyPath(issue.path), message: issue.message })),
    );
  }
  return result.data as StreamMap;
}

/** Reads and validates the map file at `path`. */
export async function loadStreamMap(path: string): Promise<StreamMap> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'there is no such file' : (error as Error).message;
    throw new MapError(path, [{ path: '', message: `cannot read the value-stream map (${reason}): check the path` }]);
  }
  return parseStreamMap(text, basename(path));
}

function parseText(text: string, fileName: string): unknown {
  try {
    return parseYaml(text);
  } catch (error) {
    const message = (error as Error).message.split('\n')[0];
    throw new MapError(fileName, [{ path: '', message: `not valid YAML or JSON (${message}): fix the syntax at that line` }]);
  }
}
