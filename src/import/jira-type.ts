import type { ItemType } from '../core/types.ts';

/** The flow type of a Jira issue type name, with the common defaults. */
export function flowTypeOfJiraIssueType(issueType: string): { type: ItemType; isEpic: boolean } {
  const name = issueType.trim().toLowerCase();
  if (name === 'epic') return { type: 'feature', isEpic: true };
  if (/bug|defect|incident|problem/.test(name)) return { type: 'defect', isEpic: false };
  if (/risk|security|vulnerab|compliance/.test(name)) return { type: 'risk', isEpic: false };
  if (/debt|chore|refactor|maintenance/.test(name)) return { type: 'debt', isEpic: false };
  return { type: 'feature', isEpic: false };
}
