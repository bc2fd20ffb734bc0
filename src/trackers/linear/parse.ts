/** Zod schemas for Linear Issue and Project webhooks (the parts flow-nudge reads). */
import { z } from 'zod';
import type { ParseResult } from '../tracker-event.ts';
import { describeZodError } from '../describe-zod-error.ts';

export const linearIssueSchema = z.looseObject({
  id: z.string(),
  identifier: z.string().optional(),
  number: z.number().int().nonnegative(),
  title: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  teamId: z.string().optional(),
  team: z.looseObject({ key: z.string() }).optional(),
  state: z.looseObject({ name: z.string(), type: z.string().optional() }),
  projectId: z.string().nullable().optional(),
  labels: z.array(z.looseObject({ name: z.string() })).optional(),
  assignee: z.looseObject({ id: z.string().optional(), name: z.string().optional() }).nullable().optional(),
});

export const linearProjectSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  state: z.string().optional(),
  leadId: z.string().nullable().optional(),
  lead: z.looseObject({ id: z.string().optional(), name: z.string().optional(), email: z.string().optional() }).nullable().optional(),
  teamIds: z.array(z.string()).optional(),
});

const base = {
  action: z.string(),
  createdAt: z.string().optional(),
  updatedFrom: z.record(z.string(), z.unknown()).optional(),
  webhookTimestamp: z.number(),
};

export const linearIssueWebhookSchema = z.looseObject({ ...base, type: z.literal('Issue'), data: linearIssueSchema });
export const linearProjectWebhookSchema = z.looseObject({ ...base, type: z.literal('Project'), data: linearProjectSchema });

export type LinearIssueWebhook = z.infer<typeof linearIssueWebhookSchema>;
export type LinearProjectWebhook = z.infer<typeof linearProjectWebhookSchema>;
export type LinearWebhook = LinearIssueWebhook | LinearProjectWebhook;

export function parse(body: unknown): ParseResult<LinearWebhook> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { kind: 'invalid', reason: 'body is not a JSON object' };
  const { type, action } = body as { type?: unknown; action?: unknown };
  if (typeof type !== 'string' || typeof action !== 'string') {
    return { kind: 'invalid', reason: 'type or action is missing: this is not a Linear webhook body' };
  }
  const data = (body as { data?: { team?: { key?: unknown }; teamId?: unknown; teamIds?: unknown } }).data;
  const team = typeof data?.team?.key === 'string' ? data.team.key : typeof data?.teamId === 'string' ? data.teamId : undefined;
  const scope = team ? { team } : {};
  if (type === 'Issue' && (action === 'create' || action === 'update')) {
    const r = linearIssueWebhookSchema.safeParse(body);
    if (!r.success) return { kind: 'invalid', reason: `Linear Issue ${action}: ${describeZodError(r.error)}` };
    return { kind: 'ok', payload: r.data, scope };
  }
  if (type === 'Project' && action === 'create') {
    const r = linearProjectWebhookSchema.safeParse(body);
    if (!r.success) return { kind: 'invalid', reason: `Linear Project ${action}: ${describeZodError(r.error)}` };
    return { kind: 'ok', payload: r.data, scope };
  }
  return { kind: 'ignored', reason: `Linear ${type.slice(0, 40)} ${action.slice(0, 40)} is not used by flow-nudge`, scope };
}
