import { parseStrictTime, type StrictTime } from '../core/strict-time.ts';
import type { WorkItem } from '../core/types.ts';

/** How an import reads its file: the stream's zone for times without an offset, and the map's statuses. */
export interface ImportReadOptions {
  timeZone?: string;
  /** Why a status cannot be taken (the fix), or null when the map names it. */
  statusProblem?: (status: string) => string | null;
}

/** One bad row of an import file: where it is and what is wrong with it. */
export interface RowProblem {
  line: number;
  reason: string;
}

/** An import file that cannot be taken whole. Nothing of it is stored. */
export class ImportError extends Error {
  /** the bad rows, by line (the first MAX_PROBLEMS_KEPT of them) */
  readonly problems: RowProblem[];
  /** how many rows are bad in all */
  readonly total: number;
  constructor(fileName: string, problems: RowProblem[], total = problems.length) {
    const sorted = [...problems].sort((a, b) => a.line - b.line);
    const shown = sorted.slice(0, 20).map((problem) => `  line ${problem.line}: ${problem.reason}`);
    const more = total > 20 ? [`  … and ${total - 20} more`] : [];
    super(`${fileName}: ${total} bad row${total === 1 ? '' : 's'}; nothing was imported.\n${[...shown, ...more].join('\n')}`);
    this.name = 'ImportError';
    this.problems = sorted;
    this.total = total;
  }
}

/** A reader keeps this many bad rows with their reasons (and counts the rest), so a file of bad rows does not fill memory. */
export const MAX_PROBLEMS_KEPT = 10_000;

/** The bad rows a reader has found so far. */
export class RowProblems {
  readonly kept: RowProblem[] = [];
  count = 0;
  add(line: number, reason: string): void {
    this.count += 1;
    if (this.kept.length < MAX_PROBLEMS_KEPT) this.kept.push({ line, reason });
  }
  /** Throws the ImportError of the file when any row was bad. */
  throwIfAny(fileName: string): void {
    if (this.count > 0) throw new ImportError(fileName, this.kept, this.count);
  }
}

/**
 * A file reader of an import: takes the file's text piece by piece and gives the work items of
 * each piece (an item whose rows come in several pieces comes once per piece, with the same key:
 * the first one's fields are the item's). Bad rows are collected, not thrown, so that the whole
 * file is read and every bad row listed; end() throws the file's ImportError when there was any.
 */
export interface ImportReader {
  push(text: string): WorkItem[];
  end(text?: string): WorkItem[];
  /** bad rows found so far */
  readonly problemCount: number;
}

/**
 * The items of a whole file read by `reader`, an item given in several pieces joined under its
 * first fields, in order of first appearance.
 */
export function readWhole(reader: ImportReader, text: string): WorkItem[] {
  const items = new Map<string, WorkItem>();
  for (const item of reader.end(text)) {
    const earlier = items.get(item.key);
    if (earlier) earlier.transitions.push(...item.transitions);
    else items.set(item.key, item);
  }
  return [...items.values()];
}

/** The digit at `index` of `text` (0–9), or -1000 when it is no digit, so a sum of digits goes negative. */
function digit(text: string, index: number): number {
  const code = text.charCodeAt(index) - 48;
  return code >= 0 && code <= 9 ? code : -1000;
}

/** 2026-01-05T09:00:00Z or 2026-01-05T09:00:00.000Z as epoch ms, when its day and clock cannot be out of range; else NaN. */
function readPlainUtc(text: string): number {
  const { length } = text;
  if ((length !== 20 && length !== 24) || text.charCodeAt(length - 1) !== 90 || text.charCodeAt(10) !== 84) return Number.NaN;
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return Number.NaN;
  const year = digit(text, 0) * 1000 + digit(text, 1) * 100 + digit(text, 2) * 10 + digit(text, 3);
  const month = digit(text, 5) * 10 + digit(text, 6);
  const day = digit(text, 8) * 10 + digit(text, 9);
  const hour = digit(text, 11) * 10 + digit(text, 12);
  const minute = digit(text, 14) * 10 + digit(text, 15);
  const second = digit(text, 17) * 10 + digit(text, 18);
  let ms = 0;
  if (length === 24) {
    if (text.charCodeAt(19) !== 46) return Number.NaN;
    ms = digit(text, 20) * 100 + digit(text, 21) * 10 + digit(text, 22);
    if (ms < 0) return Number.NaN;
  }
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > 28 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return Number.NaN;
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}

/**
 * A time of an import file as epoch ms, or the reason it is refused (the value and the accepted
 * forms): the strict reader of src/core/strict-time.ts, with a quick path for plain UTC times
 * whose day and hour cannot be out of range. A value without an offset is read in `timeZone`.
 */
export function readTime(text: string, timeZone?: string): StrictTime {
  // the common case first: 2026-01-05T09:00:00Z or 2026-01-05T09:00:00.000Z
  const at = readPlainUtc(text);
  if (!Number.isNaN(at)) return { ok: true, at };
  return parseStrictTime(text, { timeZone });
}

/** Parses an ISO-8601 time (or Jira's `+0100` offsets) to epoch ms; NaN when it is not one (see readTime for the reason). */
export function parseTime(text: string, timeZone?: string): number {
  const result = readTime(text, timeZone);
  return result.ok ? result.at : Number.NaN;
}
