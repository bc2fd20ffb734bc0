/**
 * Teams throttles bots (HTTP 429; 412, 502 and 504 are transient too) and asks for
 * exponential backoff with jitter. The Agents SDK's connector client does not retry, so an
 * in-turn reply goes through `withThrottleRetry`. Proactive posts (the nudge outbox) do not:
 * the deliverer hands the row back due at `retryAfterMs(error)` instead of sleeping. A 403 or 404
 * means the bot was removed or blocked: that is not retried, the caller marks the
 * conversation stale.
 */

export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([412, 429, 502, 504]);

export interface RetryOptions {
  /** attempts after the first; default 6 (about a minute of backoff in all) */
  retries?: number;
  /** first backoff in ms; doubles each time; default 500 */
  baseDelayMs?: number;
  /** a single wait is never longer; default 30 s */
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  onRetry?: (info: { attempt: number; status: number; delayMs: number }) => void;
}

/** The HTTP status of an error thrown by the SDK's connector client, if any. */
export function statusOf(error: unknown): number | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const e = error as { status?: unknown; statusCode?: unknown; response?: { status?: unknown } };
  for (const value of [e.status, e.statusCode, e.response?.status]) if (typeof value === 'number') return value;
  return undefined;
}

/** Retry-After of a throttled answer, in ms (seconds or an HTTP date), if the server sent one. */
export function retryAfterMs(error: unknown, now: number = Date.now()): number | undefined {
  const headers = (error as { response?: { headers?: unknown } } | undefined)?.response?.headers;
  let value: string | null | undefined;
  if (headers && typeof (headers as Headers).get === 'function') value = (headers as Headers).get('retry-after');
  else if (headers && typeof headers === 'object') value = (headers as Record<string, string | undefined>)['retry-after'];
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `send`, retrying throttled and transient failures with backoff and jitter. */
export async function withThrottleRetry<T>(send: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const retries = options.retries ?? 6;
  const base = options.baseDelayMs ?? 500;
  const max = options.maxDelayMs ?? 30_000;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  for (let attempt = 0; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      const status = statusOf(error);
      if (status === undefined || !RETRYABLE_STATUSES.has(status) || attempt >= retries) throw error;
      const backoff = base * 2 ** attempt;
      const delayMs = Math.min(max, Math.max(retryAfterMs(error) ?? 0, backoff / 2 + random() * (backoff / 2)));
      options.onRetry?.({ attempt: attempt + 1, status, delayMs });
      await sleep(delayMs);
    }
  }
}
