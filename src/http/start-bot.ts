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
import { loadDemo } from '../demo/load-demo.ts';
import { openStore, type Store } from '../store/database.ts';
import { listStreams } from '../store/value-streams.ts';
import { createNudgeSystem } from '../jobs/start-nudge-system.ts';
import { createConsoleLogger } from '../log/console-logger.ts';
import type { Logger } from '../log/logger.ts';
import { startServer } from './start-server.ts';

export interface Bot {
  port: number;
  mode: { slack: boolean; teams: boolean; playground: boolean };
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
  const production = (env.NODE_ENV ?? '').toLowerCase() === 'production';
  const playground = !slack && !teams;

  const store = await openStore(settings.DATABASE_URL);
  const closers: (() => Promise<void> | void)[] = [() => store.close()];
  try {
    let onTransitions: ((stream: string, keys: string[]) => Promise<void>) | undefined;
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
    onTransitions = async (stream, keys) => {
      for (const listener of transitionListeners) {
        try {
          await listener(stream, keys);
        } catch (error) {
          log.error(`flow-nudge: a listener of new transitions failed: ${(error as Error).message}`);
        }
      }
    };
    // Nudges: written to the outbox first, delivered by the worker through each platform's deliverer.
    const nudgeSystem = createNudgeSystem({ store, log, now: clock });
    const { worker: outbox, context: nudges } = nudgeSystem;
    transitionListeners.push((stream, keys) => nudgeSystem.hooks.onTransitions(stream, keys));

    const server = await startServer({ store, config: serverConfig, port: settings.PORT, log, now: clock, onTransitions });
    closers.unshift(() => server.close());

    // Without credentials Teams runs unauthenticated for local use; never so in production.
    if (teams || !production) {
      const teamsApp = mountTeams({ httpServer: server.httpServer, store, env, log, clock, publicUrl: env.PUBLIC_URL });
      closers.unshift(() => teamsApp.stop());
      outbox.register(createTeamsDeliverer({ store, teams: teamsApp }));
    }
    if (slack) {
      const slackApp = await mountSlack({ httpServer: server.httpServer, store, env, log, clock });
      closers.unshift(() => slackApp.stop());
      outbox.register(slackApp.deliverer);
    }
    if (playground) {
      const channel = await mountPlayground({ httpServer: server.httpServer, store, log, clock, nudges: { context: nudges, outbox } });
      // show the transition line before any nudge it triggers
      transitionListeners.unshift((stream, keys) => channel.onTransitions(stream, keys));
      outbox.register(channel.deliverer);
      closers.unshift(() => channel.stop());
      announce(`flow-nudge playground: http://localhost:${server.port}/`);
    }
    nudgeSystem.start();
    closers.unshift(() => nudgeSystem.stop());
    log.info(`flow-nudge: ready on port ${server.port} (Slack ${slack ? 'on' : 'off'}, Teams ${teams ? 'on' : 'unauthenticated, local use only'}, playground ${playground ? 'on' : 'off'})`);
    return {
      port: server.port,
      mode: { slack, teams, playground },
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
