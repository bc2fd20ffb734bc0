import { parseStrictTime, type StrictTime } from '../core/strict-time.ts';

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
  readonly problems: RowProblem[];
  constructor(fileName: string, problems: RowProblem[]) {
    const shown = problems.slice(0, 20).map((problem) => `  line ${problem.line}: ${problem.reason}`);
    const more = problems.length > 20 ? [`  … and ${problems.length - 20} more`] : [];
    super(`${fileName}: ${problems.length} bad row${problems.length === 1 ? '' : 's'}; nothing was imported.\n${[...shown, ...more].join('\n')}`);
    this.name = 'ImportError';
    this.problems = problems;
  }
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;

/**
 * A time of an import file as epoch ms, or the reason it is refused (the value and the accepted
 * forms): the strict reader of src/core/strict-time.ts, with a quick path for plain UTC times
 * whose day and hour cannot be out of range. A value without an offset is read in `timeZone`.
 */
export function readTime(text: string, timeZone?: string): StrictTime {
  // the common case first: 2026-01-05T09:00:00Z or 2026-01-05T09:00:00.000Z
  if ((text.length === 20 || text.length === 24) && text.charCodeAt(10) === 84 && text.charCodeAt(text.length - 1) === 90 && ISO_UTC.test(text)) {
    const day = (text.charCodeAt(8) - 48) * 10 + text.charCodeAt(9) - 48;
    const hour = (text.charCodeAt(11) - 48) * 10 + text.charCodeAt(12) - 48;
    const month = (text.charCodeAt(5) - 48) * 10 + text.charCodeAt(6) - 48;
    if (day >= 1 && day <= 28 && hour < 24 && month >= 1 && month <= 12) {
      const at = Date.parse(text);
      if (Number.isFinite(at)) return { ok: true, at };
    }
  }
  return parseStrictTime(text, { timeZone });
}

/** Parses an ISO-8601 time (or Jira's `+0100` offsets) to epoch ms; NaN when it is not one (see readTime for the reason). */
export function parseTime(text: string, timeZone?: string): number {
  const result = readTime(text, timeZone);
  return result.ok ? result.at : Number.NaN;
}
