/** Which configured sources (and so which value streams) a delivery belongs to. */
import type { DeliveryScope, Vendor } from './tracker-event.ts';

export interface SourceSelector {
  vendor: Vendor;
  project?: string;
  repo?: string;
  team?: string;
  organization?: string;
}

const KEYS = ['project', 'repo', 'team', 'organization'] as const;

/**
 * A source matches when every selector it sets equals the delivery's scope
 * (case-insensitive). A source with no selector takes every delivery of its vendor.
 */
export function sourceMatches(source: SourceSelector, scope: DeliveryScope): boolean {
  for (const key of KEYS) {
    const wanted = source[key];
    if (wanted === undefined) continue;
    const got = scope[key];
    if (got === undefined || got.toLowerCase() !== wanted.toLowerCase()) {
      // A GitHub repo selector also accepts organization-level deliveries of its owner? No: be exact.
      return false;
    }
  }
  return true;
}

/** Describes a scope for messages: `project TES`, `repo o/r`. */
export function describeScope(scope: DeliveryScope): string {
  const parts = KEYS.filter((k) => scope[k] !== undefined).map((k) => `${k} ${scope[k]}`);
  return parts.length ? parts.join(', ') : 'no project, repo or team';
}
