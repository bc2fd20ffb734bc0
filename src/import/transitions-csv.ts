/**
 * The plain transitions CSV: one row per status change.
 *
 *   key,type,title,parent,created_at,from_status,to_status,at
 *   CHK-1,feature,Saved carts,CHK-E1,2026-01-05T09:00:00Z,,,
 *   CHK-1,feature,Saved carts,CHK-E1,2026-01-05T09:00:00Z,Backlog,In Progress,2026-01-07T10:00:00Z
 *
 * A row with empty from_status, to_status and at only declares the item.
 * `type` is feature|defect|risk|debt|epic. Every bad row is reported with its
 * line number; a file with any bad row yields nothing.
 */
import type { ItemType, WorkItem } from '../core/types.ts';
import { ImportError, readTime, readWhole, RowProblems, type ImportReadOptions, type ImportReader } from './import-error.ts';
import type { StrictTime } from '../core/strict-time.ts';
import { CsvRecordReader, type CsvRecord } from './read-csv.ts';
import { ownCopy } from './own-copy.ts';

export const TRANSITIONS_CSV_HEADER = ['key', 'type', 'title', 'parent', 'created_at', 'from_status', 'to_status', 'at'] as const;
const TYPES = new Set(['feature', 'defect', 'risk', 'debt', 'epic']);

/** `timeZone` (the stream's) reads times written without an offset; `statusProblem` refuses statuses the map does not name. */
export function parseTransitionsCsv(text: string, fileName: string, options: ImportReadOptions = {}): WorkItem[] {
  const reader = createTransitionsCsvReader(fileName, options);
  return readWhole(reader, text);
}

/**
 * Reads a transitions CSV piece by piece (see ImportReader): the work items of each piece's rows,
 * every bad row collected with its line. What it keeps between pieces is one entry per item
 * (its key and created_at, to refuse a later row that gives another created_at).
 */
export function createTransitionsCsvReader(fileName: string, options: ImportReadOptions = {}): ImportReader {
  const { timeZone, statusProblem } = options;
  const csv = new CsvRecordReader(fileName);
  const problems = new RowProblems();
  /** created_at of each item read so far */
  const createdOf = new Map<string, number>();
  /** the answer of statusProblem for each status spelling seen */
  const statusProblems = new Map<string, string | null>();
  const problemOf = (status: string): string | null => {
    let problem = statusProblems.get(status);
    if (problem === undefined) {
      problem = statusProblem!(status);
      statusProblems.set(ownCopy(status), problem);
    }
    return problem;
  };
  let header = true;
  let lastCreatedText = '';
  let lastCreated: StrictTime = { ok: false, reason: '' };

  const refuseHeader = (row: string[], line: number): never => {
    throw new ImportError(fileName, [{ line, reason: `the header must be exactly "${TRANSITIONS_CSV_HEADER.join(',')}" (found "${row.join(',')}"); e.g.\n    ${TRANSITIONS_CSV_HEADER.join(',')}\n    CHK-1,feature,Saved carts,,2026-01-05T09:00:00Z,Backlog,In Progress,2026-01-06T10:00:00Z` }]);
  };

  const readRecords = (records: CsvRecord[]): WorkItem[] => {
    const items = new Map<string, WorkItem>();
    let lastItem: WorkItem | undefined;
    for (const { cells: row, line, undecodable } of records) {
      if (header) {
        header = false;
        const names = row.map((cell) => cell.toLowerCase());
        if (TRANSITIONS_CSV_HEADER.some((name, index) => names[index] !== name)) refuseHeader(row, line);
        continue;
      }
      if (row.length !== TRANSITIONS_CSV_HEADER.length) {
        problems.add(line, `expected ${TRANSITIONS_CSV_HEADER.length} columns, found ${row.length}`);
        continue;
      }
      const [key, rawType, title, parent, createdAt, from, to, at] = row;
      const type = TYPES.has(rawType) ? rawType : rawType.toLowerCase();
      // the rows of one item repeat its created_at: parse it once
      const createdRead: StrictTime = createdAt === lastCreatedText ? lastCreated : readTime(createdAt, timeZone);
      lastCreatedText = createdAt;
      lastCreated = createdRead;
      const declaresOnly = !from && !to && !at;
      const atRead = declaresOnly ? null : readTime(at, timeZone);
      const fromProblem = atRead && statusProblem && from ? problemOf(from) : null;
      const toProblem = atRead && statusProblem && to ? problemOf(to) : null;
      if (undecodable || !key || !TYPES.has(type) || !createdRead.ok || (atRead && (!to || !atRead.ok)) || fromProblem || toProblem) {
        const rowProblems: string[] = [];
        const columns = undecodable ? TRANSITIONS_CSV_HEADER.filter((_, column) => row[column].includes('\uFFFD')) : [];
        if (columns.length > 0) rowProblems.push(`${columns.join(', ')} ${columns.length > 1 ? 'have' : 'has'} bytes that are not UTF-8 (shown as \uFFFD); save the file as UTF-8`);
        if (!key) rowProblems.push('key is empty');
        if (!TYPES.has(type)) rowProblems.push(`type "${rawType}" is not one of feature, defect, risk, debt, epic`);
        if (!createdRead.ok) rowProblems.push(`created_at ${createdRead.reason}`);
        if (atRead && !to) rowProblems.push('to_status is empty (leave from_status, to_status and at all empty to only declare the item)');
        if (atRead && !atRead.ok) rowProblems.push(`at ${atRead.reason}`);
        if (fromProblem) rowProblems.push(`from_status "${from}": ${fromProblem}`);
        if (toProblem) rowProblems.push(`to_status "${to}": ${toProblem}`);
        problems.add(line, rowProblems.join('; '));
        continue;
      }
      const created = (createdRead as { at: number }).at;
      const when = atRead ? (atRead as { at: number }).at : Number.NaN;
      // the rows of one item usually follow each other
      let item = lastItem?.key === key ? lastItem : items.get(key);
      if (!item) {
        const earlier = createdOf.get(key);
        if (earlier !== undefined && earlier !== created) {
          problems.add(line, `created_at ${createdAt} differs from an earlier row of ${key}`);
          continue;
        }
        if (earlier === undefined) createdOf.set(ownCopy(key), created);
        const isEpic = type === 'epic';
        item = { key, type: isEpic ? 'feature' : (type as ItemType), title, parentKey: parent || null, isEpic, createdAt: created, transitions: [] };
        items.set(key, item);
      } else if (item.createdAt !== created) {
        problems.add(line, `created_at ${createdAt} differs from an earlier row of ${key}`);
        continue;
      }
      lastItem = item;
      if (!declaresOnly) item.transitions.push({ from: from || null, to, at: when });
    }
    return [...items.values()];
  };

  const withCsvProblems = (items: WorkItem[]): WorkItem[] => {
    // a record with broken quoting is a bad row too
    for (const problem of csv.problems.splice(0)) problems.add(problem.line, problem.reason);
    return items;
  };

  return {
    push: (text) => withCsvProblems(readRecords(csv.push(text))),
    end(text = '') {
      const items = withCsvProblems(readRecords(csv.end(text)));
      if (header) refuseHeader([], 1);
      problems.throwIfAny(fileName);
      return items;
    },
    get problemCount() {
      return problems.count + csv.problems.length;
    },
  };
}
