/** Zod schemas for GitHub `issues` and `projects_v2_item` deliveries (the parts flow-nudge reads). */
import { z } from 'zod';
import type { Headers, ParseResult } from '../tracker-event.ts';
import { describeZodError } from '../describe-zod-error.ts';

const login = z.looseObject({ login: z.string() });

export const githubIssueSchema = z.looseObject({
  number: z.number().int().positive(),
  node_id: z.string().optional(),
  title: z.string(),
  state: z.enum(['open', 'closed']),
  state_reason: z.string().nullable().optional(),
  created_at: z.string(),
  updated_at: z.string().nullable().optional(),
  closed_at: z.string().nullable().optional(),
  labels: z.array(z.looseObject({ name: z.string() })).optional(),
  /** organization issue types (Epic, Feature, Bug, Task, ...) */
  type: z.looseObject({ name: z.string() }).nullable().optional(),
  user: login.nullable().optional(),
  assignees: z.array(login).nullable().optional(),
  /** sub-issues: the parent issue's API URL (.../repos/o/r/issues/N) */
  parent_issue_url: z.string().nullable().optional(),
});

export const githubIssuesEventSchema = z.looseObject({
  action: z.string(),
  issue: githubIssueSchema,
  repository: z.looseObject({ full_name: z.string().regex(/^[^/\s]+\/[^/\s]+$/) }),
  label: z.looseObject({ name: z.string() }).optional(),
});

const option = z.looseObject({ id: z.string().optional(), name: z.string() });

export const githubProjectItemEventSchema = z.looseObject({
  action: z.string(),
  projects_v2_item: z.looseObject({
    node_id: z.string(),
    content_node_id: z.string(),
    content_type: z.string().optional(),
    created_at: z.string().optional(),
    updated_at: z.string(),
  }),
  changes: z
    .looseObject({
      field_value: z
        .looseObject({
          field_node_id: z.string().optional(),
          field_type: z.string().optional(),
          field_name: z.string().optional(),
          from: option.nullable().optional(),
          to: option.nullable().optional(),
        })
        .optional(),
    })
    .optional(),
  organization: z.looseObject({ login: z.string() }),
});

export type GithubIssuesEvent = z.infer<typeof githubIssuesEventSchema>;
export type GithubIssue = z.infer<typeof githubIssueSchema>;
export type GithubProjectItemEvent = z.infer<typeof githubProjectItemEventSchema>;
export type GithubWebhook =
  | { event: 'issues'; body: GithubIssuesEvent }
  | { event: 'projects_v2_item'; body: GithubProjectItemEvent };

const ISSUE_ACTIONS = new Set(['opened', 'closed', 'reopened', 'labeled', 'unlabeled', 'edited', 'typed', 'untyped']);

export function parse(body: unknown, headers: Headers): ParseResult<GithubWebhook> {
  const event = headers['x-github-event'];
  if (!event) return { kind: 'invalid', reason: 'missing X-GitHub-Event header' };
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    return { kind: 'invalid', reason: 'body is not a JSON object (set the hook content type to application/json)' };
  }
  const action = (body as { action?: unknown }).action;
  if (event === 'issues') {
    if (typeof action !== 'string') return { kind: 'invalid', reason: 'issues event without an action' };
    const r = githubIssuesEventSchema.safeParse(body);
    if (!r.success) return { kind: 'invalid', reason: `GitHub issues.${action.slice(0, 40)}: ${describeZodError(r.error)}` };
    const scope = { repo: r.data.repository.full_name };
    if (!ISSUE_ACTIONS.has(action)) return { kind: 'ignored', reason: `issues.${action.slice(0, 40)} does not change status`, scope };
    return { kind: 'ok', payload: { event: 'issues', body: r.data }, scope };
  }
  if (event === 'projects_v2_item') {
    if (typeof action !== 'string') return { kind: 'invalid', reason: 'projects_v2_item event without an action' };
    const r = githubProjectItemEventSchema.safeParse(body);
    if (!r.success) return { kind: 'invalid', reason: `GitHub projects_v2_item.${action.slice(0, 40)}: ${describeZodError(r.error)}` };
    const scope = { organization: r.data.organization.login };
    if (action !== 'edited') return { kind: 'ignored', reason: `projects_v2_item.${action.slice(0, 40)} does not change status`, scope };
    return { kind: 'ok', payload: { event: 'projects_v2_item', body: r.data }, scope };
  }
  const repo = (body as { repository?: { full_name?: unknown } }).repository?.full_name;
  const org = (body as { organization?: { login?: unknown } }).organization?.login;
  return {
    kind: 'ignored',
    reason: `GitHub event ${event.slice(0, 60)} is not used by flow-nudge (it reads issues and projects_v2_item)`,
    scope: { ...(typeof repo === 'string' ? { repo } : {}), ...(typeof org === 'string' ? { organization: org } : {}) },
  };
}
