import { parseStrictTime } from '../core/strict-time.ts';
import type { StreamMap } from '../core/types.ts';
import type { Store } from '../store/database.ts';
import { getStream, listStreams } from '../store/value-streams.ts';
import { CliError } from './context.ts';

/**
 * The stream named on the command line, or a clear error listing the streams there are and how
 * to create this one (`howToCreate`, e.g. backfill's: add it to flow-nudge.yaml).
 */
export async function requireStream(store: Store, name: string, howToCreate?: string): Promise<{ id: number; map: StreamMap }> {
  const stream = await getStream(store.db, name);
  if (stream) return stream;
  const names = (await listStreams(store.db)).map((entry) => entry.name);
  const known = names.length > 0 ? `known streams: ${names.join(', ')}` : 'there are no streams yet';
  const create = howToCreate ?? `create it by importing its history: flow-nudge import FILE --stream ${name} --workflow MAP.yaml (or run flow-nudge demo for the demo stream)`;
  throw new CliError(`stream "${name}" does not exist (${known}); ${create}`);
}

/** A full time option (an offset is required: no stream zone is known here) as epoch ms; a usage error otherwise. */
export function parseDateOption(option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const result = parseStrictTime(value, { requireTime: true });
  if (!result.ok) throw new CliError(`${option} ${result.reason}`);
  return result.at;
}

/** Checks a date or time option's form before the stream (and so its zone) is known. */
export function checkDateOption(option: string, value: string | undefined): void {
  parseStreamDateOption(option, value, 'UTC');
}

/**
 * A date or time option as epoch ms, read strictly (calendar-valid, an offset or the stream's
 * zone): a plain YYYY-MM-DD is midnight of that day in the stream's time zone (as the charts and
 * the chat commands read it); a full ISO-8601 time is that instant. Anything else is a usage
 * error naming the value and the accepted forms.
 * @example parseStreamDateOption('--from', '2026-01-10', 'Europe/Berlin') // Date.parse('2026-01-09T23:00:00Z')
 */
export function parseStreamDateOption(option: string, value: string | undefined, timeZone: string): number | undefined {
  if (value === undefined) return undefined;
  const result = parseStrictTime(value, { timeZone });
  if (!result.ok) throw new CliError(`${option} ${result.reason}`);
  return result.at;
}
