/** Zod schemas for Azure DevOps work item service hook events (the parts flow-nudge reads). */
import { z } from 'zod';
import type { DeliveryScope, ParseResult } from '../tracker-event.ts';
import { describeZodError } from '../describe-zod-error.ts';

const fieldChange = z.looseObject({ oldValue: z.unknown().optional(), newValue: z.unknown().optional() });

export const azureCreatedSchema = z.looseObject({
  id: z.string(),
  eventType: z.literal('workitem.created'),
  resource: z.looseObject({ id: z.number().int().positive(), fields: z.record(z.string(), z.unknown()) }),
});

export const azureUpdatedSchema = z.looseObject({
  id: z.string(),
  eventType: z.literal('workitem.updated'),
  resource: z.looseObject({
    workItemId: z.number().int().positive(),
    fields: z.record(z.string(), fieldChange).optional(),
    revision: z.looseObject({ fields: z.record(z.string(), z.unknown()) }).optional(),
  }),
});

export type AzureCreated = z.infer<typeof azureCreatedSchema>;
export type AzureUpdated = z.infer<typeof azureUpdatedSchema>;
export type AzureWebhook = AzureCreated | AzureUpdated;

/** `https://dev.azure.com/ouno/` → `ouno`; `https://ouno.visualstudio.com/` → `ouno` */
export function azureOrganization(baseUrl: unknown): string | undefined {
  if (typeof baseUrl !== 'string') return undefined;
  const m = /^https:\/\/dev\.azure\.com\/([^/]+)/i.exec(baseUrl) ?? /^https:\/\/([^./]+)\.visualstudio\.com/i.exec(baseUrl);
  return m?.[1];
}

function scopeOf(body: Record<string, unknown>): DeliveryScope {
  const resource = body.resource as { fields?: Record<string, unknown>; revision?: { fields?: Record<string, unknown> } } | undefined;
  const project = resource?.revision?.fields?.['System.TeamProject'] ?? resource?.fields?.['System.TeamProject'];
  const containers = body.resourceContainers as { account?: { baseUrl?: unknown }; collection?: { baseUrl?: unknown } } | undefined;
  const organization = azureOrganization(containers?.account?.baseUrl) ?? azureOrganization(containers?.collection?.baseUrl);
  return { ...(typeof project === 'string' ? { project } : {}), ...(organization ? { organization } : {}) };
}

export function parse(body: unknown): ParseResult<AzureWebhook> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { kind: 'invalid', reason: 'body is not a JSON object' };
  const event = (body as { eventType?: unknown }).eventType;
  if (typeof event !== 'string') return { kind: 'invalid', reason: 'eventType is missing: this is not an Azure DevOps service hook body' };
  const scope = scopeOf(body as Record<string, unknown>);
  if (event === 'workitem.created') {
    const r = azureCreatedSchema.safeParse(body);
    if (!r.success) return { kind: 'invalid', reason: `Azure DevOps ${event}: ${describeZodError(r.error)}` };
    return { kind: 'ok', payload: r.data, scope };
  }
  if (event === 'workitem.updated') {
    const r = azureUpdatedSchema.safeParse(body);
    if (!r.success) return { kind: 'invalid', reason: `Azure DevOps ${event}: ${describeZodError(r.error)}` };
    return { kind: 'ok', payload: r.data, scope };
  }
  return { kind: 'ignored', reason: `Azure DevOps ${event.slice(0, 60)} is not used by flow-nudge`, scope };
}
