/**
 * The request headers a delivery keeps in the inbox: only those processing and
 * the delivery id read, plus content type and user agent for people looking at
 * the row. Signatures, tokens and cookies are never stored, so a copy of the
 * database cannot replay a delivery to another endpoint with the same secret.
 */
import { DELIVERY_ID_HEADERS } from './delivery-id.ts';
import type { Headers, Vendor } from './tracker-event.ts';

/** Headers the parse step reads (the event kind) and the vendors' retry counters. */
const READ_BY_PROCESSING: Record<Vendor, string[]> = {
  jira: ['x-atlassian-webhook-retry'],
  github: ['x-github-event', 'x-github-hook-id'],
  gitlab: ['x-gitlab-event', 'x-gitlab-instance'],
  linear: ['linear-event'],
  'azure-devops': [],
};

const ALWAYS = ['content-type', 'user-agent'];

/** Each vendor's allow-list, built once (it is read for every delivery). */
const STORED = new Map(Object.entries(READ_BY_PROCESSING).map(([vendor, read]) => [vendor, [...ALWAYS, ...DELIVERY_ID_HEADERS[vendor as Vendor], ...read]]));

/** The headers of `vendor`'s delivery to store: an allow-list, never a signature. */
export function headersToStore(vendor: Vendor, headers: Headers): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of STORED.get(vendor) ?? []) {
    const value = headers[name];
    if (value !== undefined) kept[name] = value;
  }
  return kept;
}
