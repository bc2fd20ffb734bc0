import { startOfLocalDate } from '../core/index.ts';
import { parseStrictDate } from '../core/strict-time.ts';

/**
 * A period asked for after a command: `30d` (the last 30 days), `12w` (the last 12 weeks)
 * or `since 2026-09-01` (from that local date until now).
 */
export type Period =
  | { kind: 'last'; days: number; label: string }
  | { kind: 'since'; date: string; label: string };

const DAY_MS = 86_400_000;
const MAX_DAYS = 3660;

/** The result of reading a period from words: the period, or the reason it could not be read. */
export type PeriodParse = { ok: true; period: Period } | { ok: false; reason: string };

/**
 * Reads a period from the words of a command (`['30d']`, `['12w']`, `['since', '2026-09-01']`).
 * @example parsePeriod(['12w']) // { ok: true, period: { kind: 'last', days: 84, label: 'last 12 weeks' } }
 */
export function parsePeriod(words: string[]): PeriodParse {
  const [first, second, ...rest] = words;
  if (first === undefined) return { ok: false, reason: 'no period given' };
  if (first.toLowerCase() === 'since') {
    if (second === undefined || rest.length > 0) {
      return { ok: false, reason: `"${words.join(' ')}" is not a period: write since and a date, e.g. since 2026-09-01` };
    }
    const date = parseStrictDate(second);
    if (!date.ok) return { ok: false, reason: `"${words.join(' ')}" is not a period (${date.why}): write since and a date YYYY-MM-DD, e.g. since 2026-09-01` };
    return { ok: true, period: { kind: 'since', date: second, label: `since ${second}` } };
  }
  const match = /^(\d{1,4})([dw])$/i.exec(first);
  if (!match || second !== undefined) {
    return { ok: false, reason: `"${words.join(' ')}" is not a period: use 30d (days), 12w (weeks) or since 2026-09-01` };
  }
  const amount = Number(match[1]);
  const unit = match[2]!.toLowerCase();
  const days = unit === 'w' ? amount * 7 : amount;
  if (amount < 1 || days > MAX_DAYS) {
    return { ok: false, reason: `"${first}" is out of range: a period is 1 to ${MAX_DAYS} days long` };
  }
  const label = unit === 'w' ? `last ${amount} week${amount === 1 ? '' : 's'}` : `last ${amount} day${amount === 1 ? '' : 's'}`;
  return { ok: true, period: { kind: 'last', days, label } };
}

/**
 * Turns a period into a window of epoch ms ending at `now` (exclusive end just after now).
 * `since` dates are local midnight in the stream's time zone.
 * @example resolvePeriod({ kind: 'last', days: 30, label: 'last 30 days' }, now, 'UTC') // { from: now - 30 days, to: now + 1 }
 */
export function resolvePeriod(period: Period, now: number, timeZone: string): { from: number; to: number } {
  const to = now + 1;
  if (period.kind === 'last') return { from: now - period.days * DAY_MS, to };
  const from = startOfLocalDate(period.date, timeZone);
  return { from, to };
}
