/**
 * The id that makes a delivery idempotent: the vendor's own delivery header
 * (stable across the vendor's retries), else the sha256 of the raw body.
 */
import { createHash } from 'node:crypto';
import type { Headers, Vendor } from './tracker-event.ts';

/** The headers that carry the vendor's delivery id, first found wins. */
export const DELIVERY_ID_HEADERS: Record<Vendor, string[]> = {
  jira: ['x-atlassian-webhook-identifier'],
  github: ['x-github-delivery'],
  // Idempotency-Key stays the same across GitLab's retries; the event UUID is per delivery.
  gitlab: ['idempotency-key', 'x-gitlab-event-uuid'],
  linear: ['linear-delivery'],
  'azure-devops': [],
};

const MAX_ID = 200;

/**
 * `fromVendor` is false when the id is the body hash (the vendor sent none).
 * `body`: the raw body's JSON when the caller has parsed it already (Azure DevOps reads its id there).
 */
export function getDeliveryId(vendor: Vendor, headers: Headers, rawBody: string, body?: unknown): { id: string; fromVendor: boolean } {
  for (const name of DELIVERY_ID_HEADERS[vendor]) {
    const value = headers[name]?.trim();
    if (value && value.length <= MAX_ID) return { id: value, fromVendor: true };
  }
  if (vendor === 'azure-devops') {
    // Azure DevOps sends no delivery header: the event id is in the body.
    const id = bodyId(body === undefined ? parseJson(rawBody) : body);
    if (id) return { id, fromVendor: true };
  }
  return { id: `sha256:${createHash('sha256').update(rawBody, 'utf8').digest('hex')}`, fromVendor: false };
}

function bodyId(body: unknown): string | null {
  if (body && typeof body === 'object' && 'id' in body) {
    const id = (body as { id: unknown }).id;
    if (typeof id === 'string' && id.length > 0 && id.length <= MAX_ID) return id;
  }
  return null;
}

function parseJson(rawBody: string): unknown {
  try {
    return JSON.parse(rawBody);
  } catch {
    return undefined; // not JSON: the parse step rejects it
  }
}
