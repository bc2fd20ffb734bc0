/**
 * GitHub Projects v2 deliveries often leave out the Status it changed to
 * (no `from`/`to` in `changes.field_value`). Processing then asks GitHub once,
 * by GraphQL, for the item's Status field (`fieldValueByName(name: "Status")`),
 * with the stream's github source token (tokenEnv), so the transition is
 * stored instead of dropped. Rate limits: a wait of more than a few seconds
 * (Retry-After, an exhausted X-RateLimit-Remaining, RATE_LIMITED) is not
 * waited inside the delivery's transaction: no request is made until the
 * reset, and the delivery fails to be retried later by the processor.
 */
import { z } from 'zod';
import { createBackfillClient, type BackfillClient } from '../backfill-http.ts';
import { isGraphqlRateLimited, postGraphql } from '../backfill-graphql.ts';
import { parseVendorTime } from '../parse-time.ts';
import type { IngestSource, ResolveLookups } from '../process-delivery.ts';
import type { TrackerEvent } from '../tracker-event.ts';

const QUERY = `query FlowNudgeProjectItemStatus($id: ID!) {
  node(id: $id) {
    ... on ProjectV2Item {
      id
      fieldValueByName(name: "Status") {
        ... on ProjectV2ItemFieldSingleSelectValue { name updatedAt field { ... on ProjectV2SingleSelectField { id name } } }
      }
    }
  }
}`;
const answer = z.looseObject({
  node: z
    .looseObject({
      fieldValueByName: z
        .looseObject({ name: z.string().optional(), updatedAt: z.string().optional(), field: z.looseObject({ id: z.string().optional() }).optional() })
        .nullable()
        .optional(),
    })
    .nullable(),
});

/** Waits longer than this are not waited while a delivery is being processed. */
const MAX_WAIT_MS = 5000;

export class LookupDeferredError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LookupDeferredError';
  }
}

export interface ProjectStatusLookupOptions {
  now?: () => number;
  /** default setTimeout; tests may shorten it */
  sleep?: (ms: number) => Promise<void>;
}

export function createProjectStatusLookup(options: ProjectStatusLookupOptions = {}): ResolveLookups {
  const now = options.now ?? (() => Date.now());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const clients = new Map<string, { client: BackfillClient; blockedUntil: number }>();

  function clientFor(api: string, token: string) {
    const id = `${api} ${token}`;
    let entry = clients.get(id);
    if (!entry) {
      const created: { client: BackfillClient; blockedUntil: number } = { client: null as unknown as BackfillClient, blockedUntil: 0 };
      created.client = createBackfillClient({
        headers: { authorization: `Bearer ${token}`, 'x-github-api-version': '2022-11-28' },
        isRateLimited: isGraphqlRateLimited,
        maxRetries: 1,
        now,
        sleep: async (ms) => {
          if (ms <= MAX_WAIT_MS) return sleep(ms);
          created.blockedUntil = now() + ms;
          throw new LookupDeferredError(`GitHub rate limit: the Projects v2 Status lookup waits ${Math.ceil(ms / 1000)} s; the delivery is retried later`);
        },
      });
      entry = created;
      clients.set(id, entry);
    }
    return entry;
  }

  return async (events: TrackerEvent[], source: IngestSource): Promise<TrackerEvent[]> => {
    const out: TrackerEvent[] = [];
    for (const event of events) {
      if (event.kind !== 'status-lookup') {
        out.push(event);
        continue;
      }
      if (!source.token) continue; // no token configured: the Status is unknown, as before
      const api = (source.apiUrl ?? 'https://api.github.com').replace(/\/+$/, '');
      const entry = clientFor(api, source.token);
      if (entry.blockedUntil > now()) {
        throw new LookupDeferredError(`GitHub rate limit: no Projects v2 Status lookup before ${new Date(entry.blockedUntil).toISOString()}; the delivery is retried later`);
      }
      const data = answer.safeParse(await postGraphql<unknown>(entry.client, `${api}/graphql`, 'GitHub', QUERY, { id: event.projectItemId }));
      if (!data.success) throw new Error(`GitHub Projects v2 item ${event.projectItemId}: the answer has no node`);
      const value = data.data.node?.fieldValueByName;
      if (!value?.name) continue; // the item is gone, or its Status is empty
      if (event.fieldNodeId && value.field?.id && value.field.id !== event.fieldNodeId) continue; // another single-select field changed
      const changedAt = parseVendorTime(value.updatedAt);
      // A later change already moved it: record the value at the time it was set.
      const at = changedAt !== null && changedAt > event.at ? changedAt : event.at;
      out.push({ kind: 'status-changed', source: event.source, key: event.key, nodeId: event.nodeId, from: null, to: value.name, at });
    }
    return out;
  };
}
