/**
 * Jira's own CSV export (Filters → Export → CSV). It holds one row per issue
 * with its current status only — no transition history. Each issue is taken
 * as created (in its first status, unknown, so the current one) at `Created`,
 * and, when `Resolved` is set, as having reached its current status then.
 * Use jira-json or `flow-nudge backfill jira` for full history.
 *
 * Dates: ISO-8601, or Jira's default export format `24/Nov/26 10:15 AM` (UTC).
 */
import type { WorkItem } from '../core/types.ts';
import { ImportError, readTime, readWhole, RowProblems, type ImportReadOptions, type ImportReader } from './import-error.ts';
import { calendarProblem, ACCEPTED_TIME_FORMS, type StrictTime } from '../core/strict-time.ts';
import { CsvRecordReader, type CsvRecord } from './read-csv.ts';
import { TRANSITIONS_CSV_HEADER } from './transitions-csv.ts';
import { flowTypeOfJiraIssueType } from './jira-type.ts';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

const JIRA_FORMS = `${ACCEPTED_TIME_FORMS}, or Jira's 24/Nov/26 10:15 AM`;

function parseJiraDate(text: string, timeZone?: string): StrictTime {
  const match = /^(\d{1,2})\/([A-Za-z]{3})\/(\d{2,4}) (\d{1,2}):(\d{2})(?: ([AP]M))?$/i.exec(text.trim());
  if (!match) {
    const iso = readTime(text, timeZone);
    return iso.ok ? iso : { ok: false, reason: `"${text}" is not a date or time; write ${JIRA_FORMS}` };
  }
  const [, day, monthName, yearText, hourText, minute, meridiem] = match;
  const month = MONTHS.indexOf(monthName.toLowerCase());
  const year = yearText.length === 2 ? 2000 + Number(yearText) : Number(yearText);
  const problem = month < 0 ? `there is no month "${monthName}"` : calendarProblem(year, month + 1, Number(day));
  const hourLimit = meridiem ? 12 : 23;
  const badClock = Number(hourText) > hourLimit || (meridiem && Number(hourText) === 0) || Number(minute) > 59;
  if (problem || badClock) return { ok: false, reason: `"${text}" is not a date or time: ${problem ?? `${hourText}:${minute} is not a time of day`}; write ${JIRA_FORMS}` };
  let hour = Number(hourText) % (meridiem ? 12 : 24);
  if (meridiem?.toUpperCase() === 'PM') hour += 12;
  return { ok: true, at: Date.UTC(year, month, Number(day), hour, Number(minute)) };
}

export function parseJiraCsv(text: string, fileName: string, options: ImportReadOptions = {}): WorkItem[] {
  return readWhole(createJiraCsvReader(fileName, options), text);
}

/** Reads a Jira CSV export piece by piece (see ImportReader): one item per row. */
export function createJiraCsvReader(fileName: string, options: ImportReadOptions = {}): ImportReader {
  const { timeZone, statusProblem } = options;
  const csv = new CsvRecordReader(fileName);
  const problems = new RowProblems();
  let at: Record<'key' | 'summary' | 'type' | 'status' | 'created' | 'resolved' | 'parent', number> | null = null;

  const readHeader = (header: string[]): typeof at => {
    const column = (...names: string[]): number => header.findIndex((cell) => names.some((name) => cell.toLowerCase() === name.toLowerCase()));
    const columns = {
      key: column('Issue key'),
      summary: column('Summary'),
      type: column('Issue Type'),
      status: column('Status'),
      created: column('Created'),
      resolved: column('Resolved'),
      parent: column('Parent', 'Parent key', 'Custom field (Epic Link)'),
    };
    const missing = (['key', 'type', 'status', 'created'] as const).filter((name) => columns[name] < 0);
    if (missing.length > 0) {
      const names = { key: 'Issue key', type: 'Issue Type', status: 'Status', created: 'Created' };
      throw new ImportError(fileName, [{ line: 1, reason: `not a Jira CSV export: missing column${missing.length > 1 ? 's' : ''} ${missing.map((name) => `"${names[name]}"`).join(', ')} (found "${header.join(',')}"). A Jira export has the columns Issue key, Issue Type, Status, Created (and Summary, Resolved, Parent); a transitions CSV (--format transitions-csv) has exactly the header\n    ${TRANSITIONS_CSV_HEADER.join(',')}` }]);
    }
    return columns;
  };

  const readRecords = (records: CsvRecord[]): WorkItem[] => {
    const items: WorkItem[] = [];
    for (const { cells: row, line } of records) {
      if (!at) {
        at = readHeader(row);
        continue;
      }
      const key = row[at.key] ?? '';
      const created = parseJiraDate(row[at.created] ?? '', timeZone);
      const resolvedText = at.resolved >= 0 ? row[at.resolved] ?? '' : '';
      const resolved = resolvedText ? parseJiraDate(resolvedText, timeZone) : null;
      const status = row[at.status] ?? '';
      const reasons: string[] = [];
      if (!key) reasons.push('Issue key is empty');
      if (!status) reasons.push('Status is empty');
      const statusIssue = status && statusProblem ? statusProblem(status) : null;
      if (statusIssue) reasons.push(`Status "${status}": ${statusIssue}`);
      if (!created.ok) reasons.push(`Created ${created.reason}`);
      if (resolved && !resolved.ok) reasons.push(`Resolved ${resolved.reason}`);
      if (reasons.length > 0 || !created.ok || (resolved && !resolved.ok)) {
        problems.add(line, reasons.join('; '));
        continue;
      }
      const { type, isEpic } = flowTypeOfJiraIssueType(row[at.type] ?? '');
      const createdAt = created.at;
      const resolvedAt = resolved === null ? null : resolved.at;
      const transitions = resolvedAt === null ? [{ from: null, to: status, at: createdAt }] : [{ from: null, to: status, at: resolvedAt }];
      items.push({ key, type, title: at.summary >= 0 ? row[at.summary] ?? '' : '', parentKey: (at.parent >= 0 && row[at.parent]) || null, isEpic, createdAt, transitions });
    }
    for (const problem of csv.problems.splice(0)) problems.add(problem.line, problem.reason);
    return items;
  };

  return {
    push: (text) => readRecords(csv.push(text)),
    end(text = '') {
      const items = readRecords(csv.end(text));
      if (!at) readHeader([]);
      problems.throwIfAny(fileName);
      return items;
    },
    get problemCount() {
      return problems.count + csv.problems.length;
    },
  };
}
