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

/** Parses an ISO-8601 time (or Jira's `+0100` offsets) to epoch ms; NaN when it is not one. */
export function parseTime(text: string): number {
  // the common case first: 2026-01-05T09:00:00Z or 2026-01-05T09:00:00.000Z
  if ((text.length === 20 || text.length === 24) && text.charCodeAt(10) === 84 && text.charCodeAt(text.length - 1) === 90 && ISO_UTC.test(text)) {
    return Date.parse(text);
  }
  const trimmed = text.trim();
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(trimmed)) return Number.NaN;
  const withColon = trimmed.replace(/([+-]\d{2})(\d{2})$/, '$1:$2').replace(' ', 'T');
  return Date.parse(withColon.length === 10 ? `${withColon}T00:00:00Z` : withColon);
}
