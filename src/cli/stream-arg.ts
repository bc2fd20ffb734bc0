import { dateToDayNumber, getZoneCalendar } from '../core/index.ts';
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

/**
 * A window bound as the stream reads it: a plain YYYY-MM-DD is midnight of that day in the
 * stream's time zone (as the charts and the chat commands read it); a full ISO-8601 time is
 * that instant.
 * @example parseStreamDateOption('--from', '2026-01-10', 'Europe/Berlin') // Date.parse('2026-01-09T23:00:00Z')
 */
export function parseStreamDateOption(option: string, value: string | undefined, timeZone: string): number | undefined {
  if (value === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return parseDateOption(option, value);
  if (Number.isNaN(Date.parse(value))) throw new CliError(`${option} "${value}" is not a date; use YYYY-MM-DD or an ISO-8601 time`);
  return getZoneCalendar(timeZone).startOfDay(dateToDayNumber(value));
}
