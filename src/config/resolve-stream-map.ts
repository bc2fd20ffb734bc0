/** A stream's `map` in flow-nudge.yaml (inline, or a file path) → a validated StreamMap. */
import { isAbsolute, resolve } from 'node:path';
import type { StreamMap } from '../core/types.ts';
import { loadStreamMap, parseStreamMap } from '../workflow/load-map.ts';
import { ConfigError } from './config-error.ts';

/**
 * Returns the map (named after the stream) and where it came from, for
 * messages such as "add 'QA' to a stage in maps/checkout.yaml".
 */
export async function resolveStreamMap(
  value: string | Record<string, unknown>,
  options: { name: string; baseDir: string; keyPath: string },
): Promise<{ map: StreamMap; origin: string }> {
  try {
    if (typeof value === 'string') {
      const path = isAbsolute(value) ? value : resolve(options.baseDir, value);
      return { map: { ...(await loadStreamMap(path)), name: options.name }, origin: value };
    }
    return { map: { ...parseStreamMap({ name: options.name, ...value }, options.keyPath), name: options.name }, origin: options.keyPath };
  } catch (error) {
    throw new ConfigError(`${options.keyPath}: ${(error as Error).message}`);
  }
}
