/**
 * GET JSON from a tracker's REST API, honouring its rate limits: on 429 (or
 * 403/503 with Retry-After) wait Retry-After seconds and try again; when the
 * remaining budget reaches 0, wait until its reset before the next request
 * (GitHub and Azure DevOps `X-RateLimit-*`, GitLab `RateLimit-*`, Linear
 * `X-RateLimit-Requests-*`). Network errors and 5xx are retried a few times
 * with back-off.
 */
export interface BackfillHttpOptions {
  headers: Record<string, string>;
  /** waits ms (tests may shorten it); default setTimeout */
  sleep?: (ms: number) => Promise<void>;
  /** told about each wait, for the CLI to print */
  onWait?: (seconds: number, reason: string) => void;
  /** retries of 5xx / network errors; default 4 */
  maxRetries?: number;
  /** the clock, for X-RateLimit-Reset; default Date.now */
  now?: () => number;
  /** a JSON body that says the request was rate limited (GraphQL: errors[].extensions.code RATELIMITED) */
  isRateLimited?: (body: unknown) => boolean;
}

export class BackfillHttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'BackfillHttpError';
    this.status = status;
  }
}

export interface JsonResponse<T> {
  body: T;
  headers: Headers;
}

/** How many times one request waits out a 429 before giving up (the cursor keeps the progress). */
const MAX_RATE_LIMIT_WAITS = 30;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Retry-After: seconds, or an HTTP date. */
export function retryAfterMs(value: string | null, now: number): number | null {
  if (!value) return null;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - now) : null;
}

/** Remaining/reset header pairs, by vendor; a reset is epoch seconds (epoch ms when it is that large). */
const RATE_LIMIT_HEADERS: [remaining: string, reset: string][] = [
  ['X-RateLimit-Remaining', 'X-RateLimit-Reset'],
  ['RateLimit-Remaining', 'RateLimit-Reset'],
  ['X-RateLimit-Requests-Remaining', 'X-RateLimit-Requests-Reset'],
  ['X-RateLimit-Complexity-Remaining', 'X-RateLimit-Complexity-Reset'],
];

/** When an exhausted rate limit resets (epoch ms) and the header that said so; null when budget remains or no header says. */
export function rateLimitResetAt(headers: Headers): { at: number; header: string } | null {
  for (const [remainingName, resetName] of RATE_LIMIT_HEADERS) {
    const remaining = headers.get(remainingName);
    const reset = headers.get(resetName)?.trim();
    if (remaining?.trim() !== '0' || !reset || !/^\d+$/.test(reset)) continue;
    const value = Number(reset);
    return { at: value > 1e11 ? value : value * 1000, header: remainingName };
  }
  return null;
}

/** The rel="next" URL of a Link header, or null. */
export function nextLink(link: string | null): string | null {
  if (!link) return null;
  for (const part of link.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (m) return m[1];
  }
  return null;
}

export function createBackfillClient(options: BackfillHttpOptions) {
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? (() => Date.now());
  const maxRetries = options.maxRetries ?? 4;
  let waitUntil = 0;
  let exhaustedBy = 'X-RateLimit-Remaining';

  async function request<T>(url: string, init: { method?: string; body?: unknown } = {}): Promise<JsonResponse<T>> {
    let failures = 0;
    let throttled = 0;
    for (;;) {
      if (waitUntil > now()) {
        const ms = waitUntil - now();
        options.onWait?.(Math.ceil(ms / 1000), `rate limit exhausted (${exhaustedBy}: 0)`);
        await sleep(ms);
        waitUntil = 0;
      }
      let response: Response;
      try {
        response = await fetch(url, {
          method: init.method ?? 'GET',
          headers: { accept: 'application/json', ...options.headers, ...(init.body !== undefined && { 'content-type': 'application/json' }) },
          ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
        });
      } catch (error) {
        if (++failures > maxRetries) throw new BackfillHttpError(0, `cannot reach ${new URL(url).origin}: ${(error as Error).message}`);
        await sleep(1000 * 2 ** failures);
        continue;
      }
      const exhausted = rateLimitResetAt(response.headers);
      if (exhausted !== null) {
        waitUntil = exhausted.at;
        exhaustedBy = exhausted.header;
      }

      const retryAfter = retryAfterMs(response.headers.get('retry-after'), now());
      const statusSaysLimited = response.status === 429 || ((response.status === 403 || response.status === 503) && retryAfter !== null);
      let body: unknown;
      let text = '';
      if (!statusSaysLimited && response.status < 500) {
        text = await response.text();
        try {
          body = JSON.parse(text);
        } catch {
          body = undefined;
        }
      } else {
        await response.body?.cancel();
      }
      // GraphQL APIs (Linear, GitHub) say "rate limited" in the body, with 200 or 400
      const bodySaysLimited = !statusSaysLimited && body !== undefined && options.isRateLimited?.(body) === true;
      if (statusSaysLimited || bodySaysLimited) {
        if (++throttled > MAX_RATE_LIMIT_WAITS) {
          throw new BackfillHttpError(response.status, `${url} still rate-limited after ${MAX_RATE_LIMIT_WAITS} waits; try again later`);
        }
        const ms = retryAfter ?? Math.max(1000, waitUntil - now());
        options.onWait?.(Math.ceil(ms / 1000), `${response.status}${bodySaysLimited ? ' (rate limited)' : ''} from ${new URL(url).host}, ${retryAfter !== null ? 'Retry-After' : 'until the limit resets'}`);
        await sleep(ms);
        waitUntil = 0;
        continue;
      }
      if (response.status >= 500) {
        if (++failures > maxRetries) throw new BackfillHttpError(response.status, `${response.status} from ${url} after ${maxRetries} retries`);
        await sleep(1000 * 2 ** failures);
        continue;
      }
      if (!response.ok) throw new BackfillHttpError(response.status, `${response.status} from ${url}: ${text.slice(0, 300)}`);
      if (body === undefined) throw new BackfillHttpError(response.status, `${url} answered ${response.status} with something that is not JSON: ${text.slice(0, 100)}`);
      return { body: body as T, headers: response.headers };
    }
  }

  return {
    get<T>(url: string) {
      return request<T>(url);
    },
    post<T>(url: string, body: unknown) {
      return request<T>(url, { method: 'POST', body });
    },
  };
}

export type BackfillClient = ReturnType<typeof createBackfillClient>;
