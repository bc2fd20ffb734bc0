/**
 * POST a GraphQL query through the backfill client (its rate-limit waits and
 * retries) and return `data`, or throw with the API's own error messages.
 * Linear and GitHub both answer rate limiting in the body; isGraphqlRateLimited
 * tells the client to wait and retry those.
 */
import type { BackfillClient } from './backfill-http.ts';

interface GraphqlErrorEntry {
  message?: string;
  type?: string;
  extensions?: { code?: string; type?: string };
}

const LIMITED = new Set(['RATELIMITED', 'RATE_LIMITED']);

/** Linear: errors[].extensions.code RATELIMITED; GitHub: errors[].type RATE_LIMITED. */
export function isGraphqlRateLimited(body: unknown): boolean {
  const errors = (body as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(errors)) return false;
  return errors.some((e: GraphqlErrorEntry) => LIMITED.has(e?.extensions?.code ?? '') || LIMITED.has(e?.type ?? '') || LIMITED.has(e?.extensions?.type ?? ''));
}

export class GraphqlError extends Error {
  readonly codes: string[];
  constructor(message: string, codes: string[]) {
    super(message);
    this.name = 'GraphqlError';
    this.codes = codes;
  }
}

export async function postGraphql<T>(client: BackfillClient, url: string, vendor: string, query: string, variables: Record<string, unknown>): Promise<T> {
  const { body } = await client.post<{ data?: T | null; errors?: GraphqlErrorEntry[] }>(url, { query, variables });
  if (Array.isArray(body.errors) && body.errors.length > 0) {
    const messages = body.errors.slice(0, 3).map((e) => e.message ?? 'error').join('; ');
    throw new GraphqlError(`${vendor} GraphQL: ${messages}`, body.errors.map((e) => e.extensions?.code ?? e.type ?? ''));
  }
  if (!body.data) throw new GraphqlError(`${vendor} GraphQL answered without data`, []);
  return body.data;
}
