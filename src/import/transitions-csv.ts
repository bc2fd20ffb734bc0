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
import { ImportError, readTime, type ImportReadOptions, type RowProblem } from './import-error.ts';
import type { StrictTime } from '../core/strict-time.ts';
import { readCsvRows } from './read-csv.ts';

export const TRANSITIONS_CSV_HEADER = ['key', 'type', 'title', 'parent', 'created_at', 'from_status', 'to_status', 'at'] as const;
const TYPES = new Set(['feature', 'defect', 'risk', 'debt', 'epic']);

/** `timeZone` (the stream's) reads times written without an offset; `statusProblem` refuses statuses the map does not name. */
export function parseTransitionsCsv(text: string, fileName: string, options: ImportReadOptions = {}): WorkItem[] {
  const { timeZone, statusProblem } = options;
  const { rows, lines } = readCsvRows(text, fileName);
  const header = rows[0]?.map((cell) => cell.toLowerCase());
  if (!header || TRANSITIONS_CSV_HEADER.some((name, index) => header[index] !== name)) {
    throw new ImportError(fileName, [{ line: lines[0] ?? 1, reason: `the header must be exactly "${TRANSITIONS_CSV_HEADER.join(',')}" (found "${rows[0]?.join(',') ?? ''}"); e.g.\n    ${TRANSITIONS_CSV_HEADER.join(',')}\n    CHK-1,feature,Saved carts,,2026-01-05T09:00:00Z,Backlog,In Progress,2026-01-06T10:00:00Z` }]);
  }
  const problems: RowProblem[] = [];
  const items = new Map<string, WorkItem>();
  let lastCreatedText = '';
  let lastCreated: StrictTime = { ok: false, reason: '' };
  let lastItem: WorkItem | undefined;
  for (let index = 1; index < rows.length; index += 1) {
    const line = lines[index];
    const row = rows[index];
    if (row.length !== TRANSITIONS_CSV_HEADER.length) {
      problems.push({ line, reason: `expected ${TRANSITIONS_CSV_HEADER.length} columns, found ${row.length}` });
      continue;
    }
    const [key, rawType, title, parent, createdAt, from, to, at] = row;
    const type = TYPES.has(rawType) ? rawType : rawType.toLowerCase();
    const rowProblems: string[] = [];
    const undecodable = TRANSITIONS_CSV_HEADER.filter((_, column) => row[column].includes('\uFFFD'));
    if (undecodable.length > 0) rowProblems.push(`${undecodable.join(', ')} ${undecodable.length > 1 ? 'have' : 'has'} bytes that are not UTF-8 (shown as \uFFFD); save the file as UTF-8`);
    if (!key) rowProblems.push('key is empty');
    if (!TYPES.has(type)) rowProblems.push(`type "${rawType}" is not one of feature, defect, risk, debt, epic`);
    // the rows of one item repeat its created_at: parse it once
    const createdRead: StrictTime = createdAt === lastCreatedText ? lastCreated : readTime(createdAt, timeZone);
    lastCreatedText = createdAt;
    lastCreated = createdRead;
    if (!createdRead.ok) rowProblems.push(`created_at ${createdRead.reason}`);
    const created = createdRead.ok ? createdRead.at : Number.NaN;
    const declaresOnly = !from && !to && !at;
    const atRead = declaresOnly ? null : readTime(at, timeZone);
    if (atRead) {
      if (!to) rowProblems.push('to_status is empty (leave from_status, to_status and at all empty to only declare the item)');
      if (!atRead.ok) rowProblems.push(`at ${atRead.reason}`);
      if (statusProblem) {
        for (const [column, status] of [['from_status', from], ['to_status', to]] as const) {
          const problem = status ? statusProblem(status) : null;
          if (problem) rowProblems.push(`${column} "${status}": ${problem}`);
        }
      }
    }
    const when = atRead?.ok ? atRead.at : Number.NaN;
    if (rowProblems.length > 0) {
      problems.push({ line, reason: rowProblems.join('; ') });
      continue;
    }
    const isEpic = type === 'epic';
    // the rows of one item usually follow each other
    let item = lastItem?.key === key ? lastItem : items.get(key);
    if (!item) {
      item = { key, type: isEpic ? 'feature' : (type as ItemType), title, parentKey: parent || null, isEpic, createdAt: created, transitions: [] };
      items.set(key, item);
    } else if (item.createdAt !== created) {
      problems.push({ line, reason: `created_at ${createdAt} differs from an earlier row of ${key}` });
      continue;
    }
    lastItem = item;
    if (!declaresOnly) item.transitions.push({ from: from || null, to, at: when });
  }
  if (problems.length > 0) throw new ImportError(fileName, problems);
  return [...items.values()];
}
