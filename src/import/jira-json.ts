/**
 * Issues fetched from Jira with `expand=changelog`: either a search response
 * (`{ "issues": [...] }`) or a plain array of issues. Status changes come from
 * `changelog.histories[].items[]` whose fieldId (or field) is `status`; the
 * first status is the `fromString` of the earliest change, or the current
 * status when the issue never moved.
 */
import { z } from 'zod';
import type { Transition, WorkItem } from '../core/types.ts';
import { ImportError, parseTime, type RowProblem } from './import-error.ts';
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

export function parseJiraJson(text: string, fileName: string): WorkItem[] {
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
    const createdAt = parseTime(fields.created);
    if (Number.isNaN(createdAt)) {
      problems.push({ line: index + 1, reason: `${key}: fields.created "${fields.created}" is not a time` });
      return;
    }
    const changes: Transition[] = [];
    for (const history of changelog?.histories ?? []) {
      const at = parseTime(history.created);
      for (const change of history.items) {
        const isStatus = change.fieldId ? change.fieldId === 'status' : change.field?.toLowerCase() === 'status';
        if (!isStatus || !change.toString) continue;
        if (Number.isNaN(at)) {
          problems.push({ line: index + 1, reason: `${key}: changelog time "${history.created}" is not a time` });
          continue;
        }
        changes.push({ from: change.fromString ?? null, to: change.toString, at });
      }
    }
    changes.sort((a, b) => a.at - b.at);
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
    });
  });
  if (problems.length > 0) throw new ImportError(fileName, problems);
  return items;
}
