import { z } from 'zod';
import { parsePeriod, type Period } from './period.ts';
import { parseStrictDate } from '../core/strict-time.ts';
import { detectPerPersonRequest } from './per-person.ts';

/** Commands that answer with a metric and a chart over an optional period. */
export const METRIC_COMMANDS = [
  'leadtime',
  'cycletime',
  'throughput',
  'wip',
  'aging',
  'efficiency',
  'stages',
  'map',
  'distribution',
  'cfd',
] as const;
export type MetricCommand = (typeof METRIC_COMMANDS)[number];

export const XMR_SERIES = ['leadtime', 'cycletime', 'throughput', 'wip'] as const;
export type XmrSeries = (typeof XMR_SERIES)[number];

const streamName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[\w.-]+$/, 'a stream name is letters, digits, dot, dash or underscore');
const freeText = z.string().trim().min(1).max(2000);
const epicKey = z.string().min(1).max(100).regex(/^[\w.#/-]+$/, 'an epic key looks like ABC-12 or #123');

const periodSchema: z.ZodType<Period> = z.union([
  z.object({ kind: z.literal('last'), days: z.number().int().positive(), label: z.string() }),
  z.object({ kind: z.literal('since'), date: z.iso.date(), label: z.string() }),
]);

/** Every command the parser can produce, validated with zod. */
export const commandSchema = z.union([
  z.object({ name: z.literal('help'), unknown: z.string().optional() }),
  z.object({ name: z.literal('bind'), stream: streamName }),
  z.object({ name: z.literal('streams') }),
  z.object({ name: z.literal('metric'), metric: z.enum(METRIC_COMMANDS), period: periodSchema.optional() }),
  z.object({ name: z.literal('xmr'), series: z.enum(XMR_SERIES), scale: z.enum(['log', 'linear']).optional(), period: periodSchema.optional() }),
  z.object({ name: z.literal('forecast'), mode: z.enum(['items', 'days']), amount: z.number().int().min(1).max(10_000) }),
  z.object({ name: z.literal('event'), action: z.literal('log'), text: freeText, kind: z.literal('baseline').optional(), date: z.iso.date().optional() }),
  z.object({ name: z.literal('event'), action: z.literal('list') }),
  z.object({ name: z.literal('event'), action: z.literal('form') }),
  z.object({ name: z.literal('outcome'), epic: epicKey.optional(), text: freeText.optional() }),
  z.object({ name: z.literal('ffr') }),
  z.object({ name: z.literal('outcomes') }),
  z.object({
    name: z.literal('experiment'),
    action: z.literal('start'),
    policy: freeText,
    measure: z.string().trim().min(1).max(200).optional(),
    review: z.iso.date().optional(),
    owner: z.string().trim().min(1).max(100).optional(),
  }),
  z.object({ name: z.literal('experiment'), action: z.enum(['status', 'end']) }),
  z.object({ name: z.literal('checkin'), rest: z.string().max(200) }),
  z.object({ name: z.literal('owner'), rest: z.string().max(300) }),
  z.object({ name: z.literal('refused'), what: z.string(), reason: z.string() }),
  z.object({ name: z.literal('invalid'), problem: z.string(), fix: z.string() }),
]);
export type Command = z.infer<typeof commandSchema>;

/** What `forecast` and `experiment` accept, for their usage errors. */
export const FORECAST_USAGE = 'Ask /flow forecast 30 items (when will 30 more be done) or /flow forecast 14 days (how many in the next 14 days); the number is 1 to 10000.';
export const EXPERIMENT_USAGE =
  'Use /flow experiment start POLICY | measure METRIC | review YYYY-MM-DD | owner ROLE (only POLICY is required), /flow experiment status or /flow experiment end.';

function invalid(problem: string, fix: string): Command {
  return { name: 'invalid', problem, fix };
}

function periodOf(words: string[], usage: string): { period?: Period } | Command {
  if (words.length === 0) return {};
  const parsed = parsePeriod(words);
  if (!parsed.ok) return invalid(parsed.reason, `Example: ${usage}`);
  return { period: parsed.period };
}

function parseExperiment(rest: string[]): Command {
  const action = rest[0]?.toLowerCase();
  if (action === 'status' || action === 'end') return { name: 'experiment', action };
  if (action !== 'start') {
    return invalid(
      rest.length === 0 ? 'experiment needs start, status or end.' : `"experiment ${rest.join(' ')}" is not an experiment command: it starts with start, status or end.`,
      EXPERIMENT_USAGE,
    );
  }
  const parts = rest.slice(1).join(' ').split('|').map((p) => p.trim());
  const [policy = '', ...options] = parts;
  const command: Record<string, string> = { policy };
  for (const option of options) {
    const m = /^(measure|review|owner)\s+(.+)$/i.exec(option);
    if (!m) {
      return invalid(`"${option}" is not an experiment option.`, 'Options are "measure METRIC", "review YYYY-MM-DD" and "owner ROLE", separated by |.');
    }
    command[m[1]!.toLowerCase()] = m[2]!.trim();
  }
  if (!policy) return invalid('The experiment has no policy.', 'Example: /flow experiment start WIP limit 3 in Code review | measure cycletime | review 2026-10-15');
  return { name: 'experiment', action: 'start', ...command } as Command;
}

/** Query commands compute numbers; the per-person check runs on their whole text. */
function isQuery(word: string): boolean {
  return !['event', 'baseline', 'outcome', 'experiment', 'bind', 'owner'].includes(word);
}

function parseWords(word: string, rest: string[], text: string): Command {
  if (word === '' || word === 'help') return { name: 'help' };
  if (word === 'bind') {
    if (rest.length !== 1) return invalid('bind needs exactly one stream name.', 'Example: /flow bind checkout (see /flow streams for the names).');
    return { name: 'bind', stream: rest[0]! };
  }
  if (word === 'streams') return { name: 'streams' };
  if ((METRIC_COMMANDS as readonly string[]).includes(word)) {
    const p = periodOf(rest, `/flow ${word} 30d`);
    if ('name' in p) return p;
    return { name: 'metric', metric: word as MetricCommand, ...p };
  }
  if (word === 'xmr') {
    const first = rest[0]?.toLowerCase();
    const hasSeries = first !== undefined && (XMR_SERIES as readonly string[]).includes(first);
    let words = hasSeries ? rest.slice(1) : rest;
    // `raw`: lead and cycle time in plain days instead of the log-scale reading
    const raw = words.some((w) => w.toLowerCase() === 'raw');
    words = words.filter((w) => w.toLowerCase() !== 'raw');
    const series = (hasSeries ? first : 'leadtime') as XmrSeries;
    if (raw && series !== 'leadtime' && series !== 'cycletime') {
      return invalid(`"raw" applies to lead and cycle time only; ${series} is read as it is.`, `Example: /flow xmr leadtime raw, or /flow xmr ${series}.`);
    }
    const p = periodOf(words, '/flow xmr leadtime 12w');
    if ('name' in p) {
      // a word that is neither a series nor a period: say both lists
      if (!hasSeries && first !== undefined && first !== 'raw' && first !== 'since' && !/^\d/.test(first)) {
        return invalid(`"${rest[0]}" is not an XmR series or a period.`, `Use /flow xmr ${XMR_SERIES.join('|')} [raw] [30d | 12w | since 2026-09-01], e.g. /flow xmr throughput 12w.`);
      }
      return p;
    }
    return { name: 'xmr', series, ...(raw && { scale: 'linear' as const }), ...p };
  }
  if (word === 'forecast') {
    const m = /^(\d+)\s+(items?|days?)$/i.exec(rest.join(' '));
    if (!m) {
      return invalid(
        rest.length === 0 ? 'forecast needs a number and "items" or "days".' : `"forecast ${rest.join(' ')}" is not a forecast: it is a number and "items" or "days".`,
        FORECAST_USAGE,
      );
    }
    const amount = Number(m[1]);
    if (amount < 1 || amount > 10_000) return invalid(`${m[1]} is out of range for a forecast.`, FORECAST_USAGE);
    return { name: 'forecast', mode: m[2]!.toLowerCase().startsWith('item') ? 'items' : 'days', amount };
  }
  // a baseline event: the XmR limits restart here, without a policy change
  if (word === 'baseline') {
    // `/flow baseline [YYYY-MM-DD] [reason]`: from that day's start (not after today), or from now
    const dated = rest[0] !== undefined && /^\d{4}-\d{1,2}-\d{1,2}$/.test(rest[0]);
    if (dated) {
      const read = parseStrictDate(rest[0]!);
      if (!read.ok) return invalid(`The baseline date ${read.reason}.`, 'Example: /flow baseline 2026-10-19 settled after the WIP limit');
    }
    const reason = (dated ? rest.slice(1) : rest).join(' ').trim() || 'Limits restarted';
    return { name: 'event', action: 'log', kind: 'baseline', text: reason, ...(dated && { date: rest[0]! }) };
  }
  if (word === 'event') {
    if (rest.length === 0) return { name: 'event', action: 'form' };
    if (rest.length === 1 && rest[0]!.toLowerCase() === 'list') return { name: 'event', action: 'list' };
    return { name: 'event', action: 'log', text: text.trim().replace(/^event\s+/i, '') };
  }
  if (word === 'outcome') {
    const [epic, ...words] = rest;
    const outcome = words.join(' ').trim();
    return { name: 'outcome', ...(epic ? { epic } : {}), ...(outcome ? { text: outcome } : {}) };
  }
  if (word === 'ffr') return { name: 'ffr' };
  if (word === 'outcomes') {
    if (rest.length > 0) return invalid(`"outcomes ${rest.join(' ')}": outcomes takes no options.`, 'Ask /flow outcomes (time to outcome of every reviewed epic); /flow outcome EPIC TEXT records one.');
    return { name: 'outcomes' };
  }
  if (word === 'experiment') return parseExperiment(rest);
  // routed to src/nudges (the weekly check-in, and who an epic owner is in chat)
  if (word === 'checkin') return { name: 'checkin', rest: rest.join(' ') };
  if (word === 'owner') return { name: 'owner', rest: rest.join(' ') };
  return { name: 'help', unknown: word };
}

/**
 * Reads the text after `/flow` into a typed command. Never throws: bad input becomes an
 * `invalid` command with the fix, a per-person request a `refused` one, an unknown word `help`.
 * @example parseCommand('leadtime 30d') // { name: 'metric', metric: 'leadtime', period: { kind: 'last', days: 30, label: 'last 30 days' } }
 * @example parseCommand('cycletime by assignee') // { name: 'refused', what: 'numbers per person', reason: '…' }
 */
export function parseCommand(text: string): Command {
  const trimmed = text.trim().replace(/\s+/g, ' ');
  const words = trimmed === '' ? [] : trimmed.split(' ');
  const word = (words[0] ?? '').toLowerCase();
  if (isQuery(word)) {
    const refusal = detectPerPersonRequest(trimmed);
    if (refusal) return { name: 'refused', what: refusal.what, reason: refusal.reason };
  }
  const command = parseWords(word, words.slice(1), trimmed);
  const checked = commandSchema.safeParse(command);
  if (checked.success) return checked.data;
  const issue = checked.error.issues[0]!;
  return invalid(`"${trimmed}": ${issue.path.join('.') || 'input'}: ${issue.message}.`, 'See /flow help for the commands and an example of each.');
}

/**
 * Whether a command answers with a chart, which takes a moment to draw: the platforms say
 * "Working on…" for these only.
 * @example answersWithChart(parseCommand('leadtime')) // true
 * @example answersWithChart(parseCommand('ffr')) // false
 */
export function answersWithChart(command: Command): boolean {
  if (command.name === 'checkin') return /^now\b/i.test(command.rest);
  return command.name === 'metric' || command.name === 'xmr' || command.name === 'forecast';
}
