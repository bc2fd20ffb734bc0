/**
 * The whole bot on one HTTP server: tracker webhooks and health (startServer),
 * Slack when its credentials are set, Teams on /api/messages, and — with no
 * chat credentials — the local playground on the demo stream. This is what
 * `npm start` runs; everything is wired here once.
 */
import { hasSlackCredentials } from '../chat/slack/slack-env.ts';
import { mountPlayground, playgroundStreamConfig } from '../chat/playground/index.ts';
import { mountSlack } from '../chat/slack/index.ts';
import { mountTeams } from '../chat/teams/index.ts';
import { createTeamsDeliverer } from '../chat/teams/deliverer.ts';
import { loadConfig, type Config } from '../config/load-config.ts';
import { readEnv } from '../config/env.ts';
import { ConfigError } from '../config/config-error.ts';
import { readRuntime, TEAMS_ANONYMOUS_ENV } from '../config/runtime.ts';
import { loadDemo } from '../demo/load-demo.ts';
import { openStore, type Store } from '../store/database.ts';
import { listStreams } from '../store/value-streams.ts';
import { createNudgeSystem } from '../jobs/start-nudge-system.ts';
import { createChartRenderer } from '../charts/index.ts';
import { keepHeapNearLive } from '../jobs/release-memory.ts';
import { createNudgeCharts } from '../nudges/nudge-charts.ts';
import { alertUnmappedStatuses } from '../nudges/unmapped-status-alert.ts';
import { createConsoleLogger } from '../log/console-logger.ts';
import type { Logger } from '../log/logger.ts';
import { startServer } from './start-server.ts';

export interface Bot {
  port: number;
  /** teams: authenticated Teams; teamsAnonymous: unauthenticated Teams for local use (loopback serviceUrl only) */
  mode: { slack: boolean; teams: boolean; teamsAnonymous: boolean; playground: boolean; production: boolean };
  store: Store;
  close(): Promise<void>;
}

export interface StartBotOptions {
  env?: NodeJS.ProcessEnv;
  log?: Logger;
  clock?: () => number;
  /** print a line for people (the playground URL) */
  announce?: (line: string) => void;
}

export async function startBot(options: StartBotOptions = {}): Promise<Bot> {
  const env = options.env ?? process.env;
  const settings = readEnv(env);
  const log = options.log ?? createConsoleLogger(settings.LOG_LEVEL);
  const clock = options.clock ?? (() => Date.now());
  const announce = options.announce ?? ((line: string) => process.stdout.write(`${line}\n`));
  const config = await loadConfig(env);
  const slack = hasSlackCredentials(env);
  const teams = Boolean(env.clientId?.trim() || env.MicrosoftAppId?.trim());
  const runtime = readRuntime(env);
  const production = runtime.production;
  if (production && runtime.teamsAnonymousOptIn) {
    throw new ConfigError(`${TEAMS_ANONYMOUS_ENV}=true is not allowed when NODE_ENV is ${runtime.nodeEnv}: production never takes unauthenticated Teams Activities. Unset it and set clientId, clientSecret and tenantId.`);
  }
  // Production never serves the playground (its routes are unauthenticated and its demo secret is public).
  const playground = !slack && !teams && !production;
  // Anonymous Teams only for local use: in the playground, or when asked for by name.
  const teamsAnonymous = !teams && !production && (playground || runtime.teamsAnonymousOptIn);

  // collections sooner, so the heap stays near what is live while answers come back to back
  keepHeapNearLive();
  const store = await openStore(settings.DATABASE_URL, { log });
  // one chart renderer (one resvg thread) for the commands and the nudges; closed after them, before the store
  const charts = createChartRenderer();
  // Vega loads (~0.5 s) and the resvg thread starts while the store opens, not in the first answer;
  // awaited before the port opens, so its synchronous module loading never holds up the first requests.
  // A failure shows at the first chart.
  const warming = charts.warmUp().catch(() => {});
  const closers: (() => Promise<void> | void)[] = [() => charts.close(), () => store.close()];
  try {
    let serverConfig: Config = config;
    if (playground) {
      if ((await listStreams(store.db)).length === 0) {
        const demo = await loadDemo(store, { now: clock() });
        log.info(`flow-nudge: loaded the demo stream "${demo.stream}" (${demo.items} items) into the empty database`);
      }
      // The demo stream takes signed Jira deliveries in the playground, unless flow-nudge.yaml names it.
      if (!config.streams.some((stream) => stream.name === 'demo')) serverConfig = { ...config, streams: [...config.streams, playgroundStreamConfig(env)] };
    }
    const transitionListeners: ((stream: string, keys: string[]) => Promise<void>)[] = [];
    const onTransitions = async (stream: string, keys: string[]): Promise<void> => {
      for (const listener of transitionListeners) {
        try {
          await listener(stream, keys);
        } catch (error) {
          log.error(`flow-nudge: a listener of new transitions failed: ${(error as Error).message}`);
        }
      }
    };
    // Nudges: written to the outbox first, delivered by the worker through each platform's deliverer.
    const nudgeSystem = createNudgeSystem({ store, log, charts: createNudgeCharts(charts), now: clock, retentionDays: settings.FLOW_NUDGE_RETENTION_DAYS });
    const { worker: outbox, context: nudges } = nudgeSystem;
    transitionListeners.push((stream, keys) => nudgeSystem.hooks.onTransitions(stream, keys));

    // Every route is mounted before the port opens: no early request meets a 404.
    const mounted: (() => Promise<void> | void)[] = [];
    /** the workers that hold leases (outbox rows, command jobs): stopped as the server closes, see close() */
    const leaseHolders: (() => Promise<void>)[] = [() => outbox.stop()];
    let boundPort = 0;
    let playgroundChannel = false;
    await warming;
    const server = await startServer({
      store,
      config: serverConfig,
      port: settings.PORT,
      log,
      now: clock,
      onTransitions,
      // a status the map does not name: the bound channels are told once per status, with the fix
      onUnmappedStatuses: async (stream, statuses) => {
        await alertUnmappedStatuses(nudges, stream, statuses, clock());
      },
      mount: async (httpServer) => {
        if (teams || teamsAnonymous) {
          // Local use: the client (the Agents Playground, a local connector) loads charts from this bot itself.
          const publicUrl = env.PUBLIC_URL?.trim() || (teamsAnonymous ? () => (boundPort ? `http://localhost:${boundPort}` : undefined) : undefined);
          const teamsApp = mountTeams({ httpServer, store, charts, env, log, clock, ...(publicUrl && { publicUrl }), allowAnonymous: teamsAnonymous });
          mounted.unshift(() => teamsApp.stop());
          outbox.register(createTeamsDeliverer({ store, teams: teamsApp }));
        }
        if (slack) {
          const slackApp = await mountSlack({ httpServer, store, charts, env, log, clock });
          mounted.unshift(() => slackApp.stop());
          leaseHolders.push(() => slackApp.stopClaiming());
          outbox.register(slackApp.deliverer);
        }
        if (playground) {
          const channel = await mountPlayground({ httpServer, store, renderer: charts, log, clock, nudges: { context: nudges, outbox } });
          // show the transition line before any nudge it triggers
          transitionListeners.unshift((stream, keys) => channel.onTransitions(stream, keys));
          outbox.register(channel.deliverer);
          mounted.unshift(() => channel.stop());
          playgroundChannel = true;
        }
      },
    }).catch(async (error: unknown) => {
      for (const stop of mounted) await stop();
      throw error;
    });
    boundPort = server.port;
    // Shutdown: stop accepting and answer what is in flight first, then stop the parts behind the routes.
    // Meanwhile the lease holders claim nothing more, let their sends finish (up to 10 s) and hand
    // back what they still hold, so another replica takes it at once.
    closers.unshift(...mounted);
    closers.unshift(async () => {
      await Promise.all([server.close(), ...leaseHolders.map((stop) => stop())]);
    });
    if (playgroundChannel) announce(`flow-nudge playground: http://localhost:${server.port}/`);
    nudgeSystem.start();
    // after the HTTP server (in-flight requests may still enqueue), before the chat apps and the store
    closers.splice(1, 0, () => nudgeSystem.stop());
    const mode = { slack, teams, teamsAnonymous, playground, production };
    log.info(`flow-nudge: ready on port ${server.port}: ${describeServed(mode)}`);
    return {
      port: server.port,
      mode,
      store,
      async close() {
        for (const close of closers) await close();
      },
    };
  } catch (error) {
    for (const close of closers) await close();
    throw error;
  }
}

/** What the ready line says: what this process serves, and why the rest is off. */
export function describeServed(mode: Bot['mode']): string {
  const served = ['tracker webhooks', 'healthz'];
  const off: string[] = [];
  if (mode.slack) served.push('Slack');
  else off.push('Slack (no SLACK_SIGNING_SECRET)');
  if (mode.teams) served.push('Teams (authenticated)');
  else if (mode.teamsAnonymous) served.push('Teams unauthenticated from localhost only (local use)');
  else off.push(`Teams (no clientId${mode.production ? '' : ` and ${TEAMS_ANONYMOUS_ENV} unset`})`);
  if (mode.playground) served.push('playground');
  else off.push(mode.production ? 'playground (never in production)' : 'playground (chat credentials are set)');
  return `${mode.production ? 'production; ' : ''}serving ${served.join(', ')}; off: ${off.join(', ')}`;
}
