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
import { ImportError, parseTime, type RowProblem } from './import-error.ts';
import { readCsvRows } from './read-csv.ts';
import { flowTypeOfJiraIssueType } from './jira-type.ts';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function parseJiraDate(text: string): number {
  const iso = parseTime(text);
  if (!Number.isNaN(iso)) return iso;
  const match = /^(\d{1,2})\/([A-Za-z]{3})\/(\d{2,4}) (\d{1,2}):(\d{2})(?: ([AP]M))?$/i.exec(text.trim());
  if (!match) return Number.NaN;
  const [, day, monthName, yearText, hourText, minute, meridiem] = match;
  const month = MONTHS.indexOf(monthName.toLowerCase());
  if (month < 0) return Number.NaN;
  let hour = Number(hourText) % (meridiem ? 12 : 24);
  if (meridiem?.toUpperCase() === 'PM') hour += 12;
  const year = yearText.length === 2 ? 2000 + Number(yearText) : Number(yearText);
  return Date.UTC(year, month, Number(day), hour, Number(minute));
}

export function parseJiraCsv(text: string, fileName: string): WorkItem[] {
  const rows = readCsvRows(text, fileName);
  const header = rows[0] ?? [];
  const column = (...names: string[]): number => header.findIndex((cell) => names.some((name) => cell.toLowerCase() === name.toLowerCase()));
  const at = {
    key: column('Issue key'),
    summary: column('Summary'),
    type: column('Issue Type'),
    status: column('Status'),
    created: column('Created'),
    resolved: column('Resolved'),
    parent: column('Parent', 'Parent key', 'Custom field (Epic Link)'),
  };
  const missing = (['key', 'type', 'status', 'created'] as const).filter((name) => at[name] < 0);
  if (missing.length > 0) {
    const names = { key: 'Issue key', type: 'Issue Type', status: 'Status', created: 'Created' };
    throw new ImportError(fileName, [{ line: 1, reason: `not a Jira CSV export: missing column${missing.length > 1 ? 's' : ''} ${missing.map((name) => `"${names[name]}"`).join(', ')}` }]);
  }
  const problems: RowProblem[] = [];
  const items: WorkItem[] = [];
  for (let index = 1; index < rows.length; index += 1) {
    const row = rows[index];
    const line = index + 1;
    const key = row[at.key] ?? '';
    const createdAt = parseJiraDate(row[at.created] ?? '');
    const resolvedText = at.resolved >= 0 ? row[at.resolved] ?? '' : '';
    const resolvedAt = resolvedText ? parseJiraDate(resolvedText) : null;
    const status = row[at.status] ?? '';
    const reasons: string[] = [];
    if (!key) reasons.push('Issue key is empty');
    if (!status) reasons.push('Status is empty');
    if (Number.isNaN(createdAt)) reasons.push(`Created "${row[at.created]}" is not a date (ISO-8601 or 24/Nov/26 10:15 AM)`);
    if (resolvedAt !== null && Number.isNaN(resolvedAt)) reasons.push(`Resolved "${resolvedText}" is not a date`);
    if (reasons.length > 0) {
      problems.push({ line, reason: reasons.join('; ') });
      continue;
    }
    const { type, isEpic } = flowTypeOfJiraIssueType(row[at.type] ?? '');
    const transitions = resolvedAt === null ? [{ from: null, to: status, at: createdAt }] : [{ from: null, to: status, at: resolvedAt }];
    items.push({ key, type, title: at.summary >= 0 ? row[at.summary] ?? '' : '', parentKey: (at.parent >= 0 && row[at.parent]) || null, isEpic, createdAt, transitions });
  }
  if (problems.length > 0) throw new ImportError(fileName, problems);
  return items;
}
