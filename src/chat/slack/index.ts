import { createHmac, randomBytes } from 'node:crypto';
import { App, LogLevel, webApi, type Logger } from '@slack/bolt';
import { loadFlowHistory } from '../../commands/flow-history-cache.ts';
import { listBindings } from '../../store/channel-bindings.ts';
import type { Store } from '../../store/database.ts';
import type { ChartRenderer } from '../../charts/index.ts';
import { getStreamById } from '../../store/value-streams.ts';
import type { Deliverer } from '../../nudges/deliverer.ts';
import { answerSlashCommand, registerFlowCommand } from './command-listener.ts';
import { createSlackCommandJobs } from './command-jobs.ts';
import { createSlackDeliverer, delivererClientOptions } from './deliverer.ts';
import { createCommandQueue } from './command-queue.ts';
import { identifySlackBot, type SlackBotIdentity } from './bot-identity.ts';
import { registerEventListeners } from './event-listeners.ts';
import { registerFormListeners } from './form-listeners.ts';
import { authorizeFromStore, createInstallationStore, createOAuthRoutes } from './oauth.ts';
import { FlowSlackReceiver, type RouteTable } from './receiver.ts';
import { MAKE_KEY_COMMAND, readSecretKey } from './secret-box.ts';
import type { SlackLog } from './slack-deps.ts';
import { readSlackEnv } from './slack-env.ts';
import { webClientOptions } from './web-client-options.ts';

export { hasSlackCredentials, slackEnvSchema } from './slack-env.ts';
export type { RouteTable, RawHttpRequest, RawHttpResponse } from './receiver.ts';

/** The Slack routes on the one HTTP server. */
export const SLACK_PATHS = {
  events: '/slack/events',
  commands: '/slack/commands',
  interactivity: '/slack/interactivity',
  install: '/slack/install',
  oauthRedirect: '/slack/oauth_redirect',
} as const;

export interface MountSlackOptions {
  /** the one HTTP server (src/http/server.ts), or anything with its addRoute */
  httpServer: RouteTable;
  store: Store;
  env: Record<string, string | undefined>;
  log: SlackLog;
  /** the program's chart renderer: the charts of command answers */
  charts: ChartRenderer;
  /** epoch ms */
  clock?: () => number;
}

/** bolt's Logger on top of ours (bolt's debug chatter is dropped). */
function boltLogger(log: SlackLog): Logger {
  let level = LogLevel.INFO;
  const text = (msg: unknown[]) => msg.map((m) => (m instanceof Error ? m.message : typeof m === 'string' ? m : JSON.stringify(m))).join(' ');
  return {
    debug: () => {},
    info: (...msg) => log.info(`slack: ${text(msg)}`),
    warn: (...msg) => log.warn(`slack: ${text(msg)}`),
    error: (...msg) => log.error(`slack: ${text(msg)}`),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}

/**
 * Starts the Slack app on our HTTP server: `/slack/events`, `/slack/commands` and
 * `/slack/interactivity` (signed requests, one receiver), plus `/slack/install` and
 * `/slack/oauth_redirect` in multi-workspace mode. With SLACK_APP_TOKEN it connects in
 * Socket Mode instead of taking events over HTTP (the OAuth routes stay on HTTP).
 *
 * Returns the bolt app and the nudge `deliverer` to register with the outbox worker.
 *
 * Single workspace: SLACK_BOT_TOKEN. Many workspaces: SLACK_CLIENT_ID + SLACK_CLIENT_SECRET,
 * installations stored encrypted with FLOW_NUDGE_SECRET_KEY (refused in production without it).
 */
export async function mountSlack(
  options: MountSlackOptions,
): Promise<{ app: App; deliverer: Deliverer; stopClaiming(): Promise<void>; stop(): Promise<void> }> {
  const { httpServer, store, log, charts } = options;
  const clock = options.clock ?? (() => Date.now());
  const env = readSlackEnv(options.env);
  const logger = boltLogger(log);
  const clientOptions = webClientOptions(env, logger);

  let authorization: { authorize: ReturnType<typeof authorizeFromStore> | SlackBotIdentity['authorize'] };
  let identity: SlackBotIdentity | undefined;
  let oauthRoutes: ReturnType<typeof createOAuthRoutes> | undefined;
  let botTokenFor: (teamId: string | undefined) => Promise<string>;
  if (env.mode === 'single') {
    botTokenFor = async () => env.SLACK_BOT_TOKEN!;
    // Slack unreachable at start does not stop the bot: it identifies itself once Slack answers.
    identity = await identifySlackBot({ token: env.SLACK_BOT_TOKEN!, clientOptions, log });
    authorization = { authorize: identity.authorize };
  } else {
    let key = readSecretKey(options.env);
    if (!key) {
      log.warn(`FLOW_NUDGE_SECRET_KEY is not set: Slack installations are encrypted with a throw-away key and will be unreadable after a restart. Make a key with ${MAKE_KEY_COMMAND}`);
      key = randomBytes(32);
    }
    const installations = createInstallationStore({ store, key, clock });
    const authorize = authorizeFromStore(installations);
    authorization = { authorize };
    botTokenFor = async (teamId) => {
      if (!teamId) throw new Error('A Slack nudge names no workspace (teamId): rebind the channel with /flow bind so its workspace is known.');
      return (await authorize({ teamId, enterpriseId: undefined, isEnterpriseInstall: false })).botToken!;
    };
    oauthRoutes = createOAuthRoutes({
      clientId: env.SLACK_CLIENT_ID!,
      clientSecret: env.SLACK_CLIENT_SECRET!,
      stateSecret: env.SLACK_STATE_SECRET ?? createHmac('sha256', key).update('slack-oauth-state').digest('base64'),
      redirectUri: env.SLACK_REDIRECT_URI,
      installations,
      clientOptions,
      clock,
    });
  }

  const socketMode = Boolean(env.SLACK_APP_TOKEN);
  const receiver = socketMode ? undefined : new FlowSlackReceiver({ signingSecret: env.SLACK_SIGNING_SECRET!, log, clock });
  const queue = createCommandQueue({ isBusy: () => (receiver ? receiver.inFlight > 0 : false), log });
  const jobs = createSlackCommandJobs({
    store,
    clock,
    log,
    queue,
    clientFor: async (teamId) => new webApi.WebClient(await botTokenFor(teamId), clientOptions),
    answer: (client, command, target) => answerSlashCommand(client, { store, charts, clock, log }, command, target),
  });
  const deps = { store, charts, clock, log, queue, jobs };
  const app = new App({
    ...(receiver ? { receiver } : { socketMode: true, appToken: env.SLACK_APP_TOKEN, signingSecret: env.SLACK_SIGNING_SECRET }),
    ...authorization,
    clientOptions,
    logger,
    tokenVerificationEnabled: false,
    convoStore: false,
  });
  app.error(async (error) => {
    log.error(`slack listener error: ${error.message}`);
  });

  registerFlowCommand(app, deps);
  registerFormListeners(app, deps);
  registerEventListeners(app, deps, { multiWorkspace: env.mode === 'oauth' });

  if (receiver) {
    for (const path of [SLACK_PATHS.events, SLACK_PATHS.commands, SLACK_PATHS.interactivity]) httpServer.addRoute('POST', path, receiver.handle);
  }
  if (oauthRoutes) {
    httpServer.addRoute('GET', SLACK_PATHS.install, oauthRoutes.install);
    httpServer.addRoute('GET', SLACK_PATHS.oauthRedirect, oauthRoutes.callback);
  }
  // Read the bound streams' histories once now, so the first question of the day is not the slow one.
  queue.push(async () => {
    const streamIds = new Set((await listBindings(store.db)).filter((b) => b.platform === 'slack').map((b) => b.streamId));
    for (const id of streamIds) {
      const stream = await getStreamById(store.db, id);
      if (stream) await loadFlowHistory(store, id, stream.map);
    }
  });
  if (socketMode) await app.start();
  // Commands promised before a restart (or by a replica that stopped) are answered now.
  jobs.start();
  const deliveryOptions = delivererClientOptions(clientOptions);
  const deliverer = createSlackDeliverer({ clientFor: async (teamId) => new webApi.WebClient(await botTokenFor(teamId), deliveryOptions) });
  return {
    app,
    deliverer,
    /** SIGTERM: claims no more command jobs, lets the running ones finish (bounded) and hands back the rest */
    stopClaiming: () => jobs.stop(),
    async stop() {
      identity?.stop();
      await jobs.stop();
      if (socketMode) await app.stop();
    },
  };
}
