/** Zod schemas for GitLab Issue Hook / Work Item Hook deliveries (the parts flow-nudge reads). */
import { z } from 'zod';
import type { Headers, ParseResult } from '../tracker-event.ts';
import { describeZodError } from '../describe-zod-error.ts';

const label = z.looseObject({ title: z.string() });
const person = z.looseObject({ name: z.string().optional(), username: z.string().optional(), email: z.string().optional() });

export const gitlabIssueEventSchema = z.looseObject({
  object_kind: z.enum(['issue', 'work_item']),
  user: person.nullable().optional(),
  project: z.looseObject({ id: z.number().optional(), path_with_namespace: z.string().min(1) }),
  object_attributes: z.looseObject({
    iid: z.number().int().positive(),
    title: z.string(),
    state: z.string(),
    action: z.string().optional(),
    /** Issue, Incident, Task, Epic, ... (newer GitLab) */
    type: z.string().nullable().optional(),
    author_id: z.number().nullable().optional(),
    created_at: z.string(),
    updated_at: z.string().nullable().optional(),
    closed_at: z.string().nullable().optional(),
  }),
  labels: z.array(label).nullable().optional(),
  assignees: z.array(person).nullable().optional(),
  changes: z
    .looseObject({
      state_id: z.looseObject({ previous: z.number().nullable(), current: z.number().nullable() }).optional(),
      labels: z.looseObject({ previous: z.array(label).nullable(), current: z.array(label).nullable() }).optional(),
    })
    .optional(),
});

export type GitlabIssueEvent = z.infer<typeof gitlabIssueEventSchema>;

const EVENTS = new Set(['Issue Hook', 'Confidential Issue Hook', 'Work Item Hook', 'Confidential Work Item Hook']);

export function parse(body: unknown, headers: Headers): ParseResult<GitlabIssueEvent> {
  const event = headers['x-gitlab-event'];
  if (!event) return { kind: 'invalid', reason: 'missing X-Gitlab-Event header' };
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    return { kind: 'invalid', reason: 'body is not a JSON object' };
  }
  const kind = (body as { object_kind?: unknown }).object_kind;
  const path = (body as { project?: { path_with_namespace?: unknown } }).project?.path_with_namespace;
  const scope = typeof path === 'string' ? { project: path } : {};
  if (!EVENTS.has(event) || (kind !== 'issue' && kind !== 'work_item')) {
    return { kind: 'ignored', reason: `GitLab ${event.slice(0, 60)} is not used by flow-nudge (it reads Issue Hook)`, scope };
  }
  const r = gitlabIssueEventSchema.safeParse(body);
  if (!r.success) return { kind: 'invalid', reason: `GitLab ${event}: ${describeZodError(r.error)}` };
  return { kind: 'ok', payload: r.data, scope: { project: r.data.project.path_with_namespace } };
}
