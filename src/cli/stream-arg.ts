import type { StreamMap } from '../core/types.ts';
import type { Store } from '../store/database.ts';
import { getStream, listStreams } from '../store/value-streams.ts';
import { parseTime } from '../import/import-error.ts';
import { CliError } from './context.ts';

/** The stream named on the command line, or a clear error listing the streams there are. */
export async function requireStream(store: Store, name: string): Promise<{ id: number; map: StreamMap }> {
  const stream = await getStream(store.db, name);
  if (stream) return stream;
  const names = (await listStreams(store.db)).map((entry) => entry.name);
  const known = names.length > 0 ? `known streams: ${names.join(', ')}` : 'there are no streams yet: run `flow-nudge demo` or `flow-nudge import FILE --stream NAME --workflow MAP`';
  throw new CliError(`stream "${name}" does not exist (${known})`);
}

/** A date or time option (YYYY-MM-DD or ISO-8601) as epoch ms. */
export function parseDateOption(option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const at = parseTime(value);
  if (Number.isNaN(at)) throw new CliError(`${option} "${value}" is not a date; use YYYY-MM-DD or an ISO-8601 time`);
  return at;
}
