/**
 * Who the bot is in its one workspace (auth.test: its bot id and user id), learned without
 * making Slack a condition of starting. At start one quick try: a refused token stops the start
 * with the fix; Slack unreachable does not — the bot runs on (tracker webhooks are still
 * stored), asks again with backoff (1 s, 2 s, 4 s … up to 60 s) and says so in the log. The
 * first request that comes from Slack proves it is reachable again and asks at once.
 */
import { webApi, type Logger as BoltLogger } from '@slack/bolt';
import type { SlackLog } from './slack-deps.ts';

export interface BotIdentity {
  botId?: string;
  botUserId?: string;
}

export interface SlackBotIdentity {
  /** bolt's `authorize` for single-workspace mode: the token, with the ids once known */
  authorize(): Promise<{ botToken: string } & BotIdentity>;
  /** the ids, or null while Slack has not answered yet */
  readonly known: BotIdentity | null;
  stop(): void;
}

const REFUSED = new Set(['invalid_auth', 'not_authed', 'token_revoked', 'account_inactive']);

export class SlackTokenRefused extends Error {
  constructor(code: string) {
    super(`SLACK_BOT_TOKEN is not accepted by Slack (${code}): copy the Bot User OAuth Token (xoxb-…) from the app's OAuth & Permissions page again.`);
    this.name = 'SlackTokenRefused';
  }
}

/** One auth.test, no retries of its own, at most `timeoutMs`. */
async function askSlack(token: string, clientOptions: webApi.WebClientOptions, timeoutMs: number): Promise<BotIdentity> {
  const client = new webApi.WebClient(token, { ...clientOptions, retryConfig: { retries: 0 }, timeout: timeoutMs, logger: quietLogger });
  try {
    const auth = await client.auth.test();
    return { botId: auth.bot_id as string | undefined, botUserId: auth.user_id };
  } catch (error) {
    const code = (error as { data?: { error?: string } }).data?.error;
    if (code && REFUSED.has(code)) throw new SlackTokenRefused(code);
    throw error;
  }
}

/**
 * Identifies the bot: resolves once the first try is over (identified, or Slack unreachable and
 * the retries started); rejects only when Slack refuses the token.
 */
export async function identifySlackBot(options: {
  token: string;
  clientOptions: webApi.WebClientOptions;
  log: SlackLog;
  /** first retry delay (default 1 s), doubled up to maxDelayMs (default 60 s) */
  firstDelayMs?: number;
  maxDelayMs?: number;
  timeoutMs?: number;
}): Promise<SlackBotIdentity> {
  const { token, clientOptions, log } = options;
  const firstDelay = options.firstDelayMs ?? 1_000;
  const maxDelay = options.maxDelayMs ?? 60_000;
  const timeoutMs = options.timeoutMs ?? 5_000;
  let known: BotIdentity | null = null;
  let refused: SlackTokenRefused | null = null;
  let delay = firstDelay;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let asking: Promise<void> | null = null;
  let failures = 0;

  const attempt = (): Promise<void> => {
    asking ??= (async () => {
      try {
        known = await askSlack(token, clientOptions, timeoutMs);
        if (timer) clearTimeout(timer);
        timer = null;
        if (failures > 0) log.info(`slack: Slack is reachable again after ${failures} failed tr${failures === 1 ? 'y' : 'ies'}; the bot is ${known.botUserId ?? '?'} (${known.botId ?? '?'}). Slash commands and nudges work now.`);
      } catch (error) {
        if (error instanceof SlackTokenRefused) {
          refused = error;
          log.error(`slack: ${error.message} Slack calls fail until the token is fixed and flow-nudge restarted.`);
          return;
        }
        failures += 1;
        log.warn(
          `slack: cannot reach Slack to identify the bot (auth.test: ${(error as Error).message}); trying again in ${Math.round(delay / 1000)} s. ` +
            'Tracker webhooks are still stored; slash commands and nudges resume once Slack answers. Check the network (or SLACK_API_URL).',
        );
        if (!stopped) {
          if (timer) clearTimeout(timer);
          timer = setTimeout(() => void attempt(), delay);
          timer.unref();
        }
        delay = Math.min(maxDelay, delay * 2);
      } finally {
        asking = null;
      }
    })();
    return asking;
  };

  await attempt();
  if (refused && failures === 0) throw refused;

  return {
    get known() {
      return known;
    },
    async authorize() {
      // A signed request from Slack: Slack is reachable, so ask now rather than at the next retry.
      if (!known && !refused) {
        delay = firstDelay;
        await attempt();
      }
      return { botToken: token, ...(known ?? {}) };
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}

const quietLogger: BoltLogger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => 'error' as never,
  setName: () => {},
};
