import type { webApi } from '@slack/bolt';

/**
 * Options of every Slack Web API client: the API base URL (SLACK_API_URL, for tests), and
 * retries that honour 429s. On a 429 the client pauses its whole queue for Retry-After
 * seconds and then retries (it never rejects rate-limited calls), so nothing is dropped;
 * other failures are retried with a short exponential backoff, 10 times.
 */
export function webClientOptions(env: { SLACK_API_URL?: string }, logger?: webApi.WebClientOptions['logger']): webApi.WebClientOptions {
  const url = env.SLACK_API_URL;
  return {
    ...(url ? { slackApiUrl: url.endsWith('/') ? url : `${url}/` } : {}),
    rejectRateLimitedCalls: false,
    retryConfig: { retries: 10, factor: 2, minTimeout: 100, maxTimeout: 60_000, randomize: true },
    ...(logger ? { logger } : {}),
  };
}
