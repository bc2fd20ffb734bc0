/**
 * Zod schemas for the parts of a Jira issue webhook that flow-nudge reads. Objects keep only
 * the fields named here (z.object): an issue's other fields (dozens of custom fields) are not
 * copied into the payload.
 */
import { z } from 'zod';
import type { ParseResult } from '../tracker-event.ts';
import { describeZodError } from '../describe-zod-error.ts';

const user = z.object({
  accountId: z.string().optional(),
  emailAddress: z.string().optional(),
  displayName: z.string().optional(),
  name: z.string().optional(),
});

const changelogItem = z.object({
  field: z.string(),
  fieldId: z.string().optional(),
  // Read with Object.hasOwn, as strings only (normalize.ts, changelog-flags.ts): `toString`
  // would otherwise resolve to Object.prototype.toString when absent. Any other value is no text.
  fromString: z.unknown().optional(),
  toString: z.unknown().optional(),
});

export const jiraIssueSchema = z.object({
  id: z.string().optional(),
  key: z.string().min(1).max(255),
  fields: z.object({
    summary: z.string().nullable().optional(),
    issuetype: z.object({ name: z.string(), hierarchyLevel: z.number().optional() }),
    project: z.object({ key: z.string() }),
    status: z
      .object({
        name: z.string(),
        statusCategory: z.object({ key: z.string().optional() }).optional(),
      })
      .nullable()
      .optional(),
    parent: z.object({ key: z.string() }).nullable().optional(),
    labels: z.array(z.string()).nullable().optional(),
    created: z.string().nullable().optional(),
    updated: z.string().nullable().optional(),
    assignee: user.nullable().optional(),
    reporter: user.nullable().optional(),
    creator: user.nullable().optional(),
  }),
});

export const jiraWebhookSchema = z.object({
  webhookEvent: z.string(),
  issue_event_type_name: z.string().optional(),
  /** epoch ms on Cloud; Jira Server sends strings such as `2019-1-30 19:48:08,900` */
  timestamp: z.union([z.number(), z.string()]).optional(),
  issue: jiraIssueSchema,
  changelog: z.object({ id: z.string().optional(), items: z.array(changelogItem) }).nullable().optional(),
});

export type JiraWebhook = z.infer<typeof jiraWebhookSchema>;
export type JiraIssue = z.infer<typeof jiraIssueSchema>;

const HANDLED = new Set(['jira:issue_created', 'jira:issue_updated']);

export function parse(body: unknown): ParseResult<JiraWebhook> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    return { kind: 'invalid', reason: 'body is not a JSON object (Jira sends one issue event per request)' };
  }
  const event = (body as { webhookEvent?: unknown }).webhookEvent;
  if (typeof event !== 'string') {
    return { kind: 'invalid', reason: 'webhookEvent is missing: this is not a Jira webhook body' };
  }
  if (!HANDLED.has(event)) {
    return { kind: 'ignored', reason: `Jira event ${event.slice(0, 80)} is not used by flow-nudge`, scope: {} };
  }
  const result = jiraWebhookSchema.safeParse(body);
  if (!result.success) return { kind: 'invalid', reason: `Jira ${event}: ${describeZodError(result.error)}` };
  return { kind: 'ok', payload: result.data, scope: { project: result.data.issue.fields.project.key } };
}
