/**
 * Issues fetched from Jira with `expand=changelog`: either a search response
 * (`{ "issues": [...] }`) or a plain array of issues. Status changes come from
 * `changelog.histories[].items[]` whose fieldId (or field) is `status`; the
 * first status is the `fromString` of the earliest change, or the current
 * status when the issue never moved.
 */
import { z } from 'zod';
import type { FlagEvent, Transition, WorkItem } from '../core/types.ts';
import { changelogFlags } from '../trackers/jira/changelog-flags.ts';
import { ImportError, readTime, type ImportReadOptions, type RowProblem } from './import-error.ts';
import { flowTypeOfJiraIssueType } from './jira-type.ts';

const changeItem = z.looseObject({
  field: z.string().optional(),
  fieldId: z.string().optional(),
  fromString: z.string().nullable().optional(),
  toString: z.string().nullable().optional(),
});
const issue = z.looseObject({
  key: z.string().min(1),
  fields: z.looseObject({
    summary: z.string().default(''),
    created: z.string(),
    issuetype: z.looseObject({ name: z.string(), hierarchyLevel: z.number().optional() }),
    status: z.looseObject({ name: z.string() }),
    parent: z.looseObject({ key: z.string() }).nullable().optional(),
  }),
  changelog: z.looseObject({
    histories: z.array(z.looseObject({ created: z.string(), items: z.array(changeItem) })),
  }).optional(),
});

export function parseJiraJson(text: string, fileName: string, options: ImportReadOptions = {}): WorkItem[] {
  const { timeZone, statusProblem } = options;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ImportError(fileName, [{ line: 1, reason: `not valid JSON: ${(error as Error).message}` }]);
  }
  const list = Array.isArray(data) ? data : (data as { issues?: unknown })?.issues;
  if (!Array.isArray(list)) {
    throw new ImportError(fileName, [{ line: 1, reason: 'expected a Jira search response ({"issues": [...]}) or an array of issues fetched with expand=changelog' }]);
  }
  const problems: RowProblem[] = [];
  const items: WorkItem[] = [];
  list.forEach((raw, index) => {
    const parsed = issue.safeParse(raw);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      problems.push({ line: index + 1, reason: `issue #${index + 1}: ${first.path.join('.')}: ${first.message}` });
      return;
    }
    const { key, fields, changelog } = parsed.data;
    const created = readTime(fields.created, timeZone);
    if (!created.ok) {
      problems.push({ line: index + 1, reason: `issue #${index + 1} ${key}: fields.created ${created.reason}` });
      return;
    }
    const createdAt = created.at;
    const changes: Transition[] = [];
    const flags: FlagEvent[] = [];
    for (const history of changelog?.histories ?? []) {
      const at = readTime(history.created, timeZone);
      const flagged = changelogFlags(history.items, at.ok ? at.at : 0);
      if (flagged.length > 0) {
        if (at.ok) flags.push(...flagged);
        else problems.push({ line: index + 1, reason: `issue #${index + 1} ${key}: changelog time ${at.reason}` });
      }
      for (const change of history.items) {
        const isStatus = change.fieldId ? change.fieldId === 'status' : change.field?.toLowerCase() === 'status';
        if (!isStatus || !change.toString) continue;
        if (!at.ok) {
          problems.push({ line: index + 1, reason: `issue #${index + 1} ${key}: changelog time ${at.reason}` });
          continue;
        }
        changes.push({ from: change.fromString ?? null, to: change.toString, at: at.at });
      }
    }
    changes.sort((a, b) => a.at - b.at);
    if (statusProblem) {
      const seen = new Set<string>();
      for (const status of [fields.status.name, ...changes.flatMap((change) => [change.from ?? '', change.to])]) {
        const problem = status && !seen.has(status) ? statusProblem(status) : null;
        seen.add(status);
        if (problem) problems.push({ line: index + 1, reason: `issue #${index + 1} ${key}: status "${status}": ${problem}` });
      }
    }
    const firstStatus = changes[0]?.from ?? fields.status.name;
    const { type, isEpic } = flowTypeOfJiraIssueType(fields.issuetype.name);
    items.push({
      key,
      type,
      title: fields.summary,
      parentKey: fields.parent?.key ?? null,
      isEpic: isEpic || fields.issuetype.hierarchyLevel === 1,
      createdAt,
      transitions: [{ from: null, to: firstStatus, at: createdAt }, ...changes],
      ...(flags.length > 0 && { flags }),
    });
  });
  if (problems.length > 0) throw new ImportError(fileName, problems);
  return items;
}
