/**
 * Starts the real thing for the playground tests: a fresh SQLite file (or a Postgres schema)
 * with the demo stream, the one HTTP server on 127.0.0.1 and an ephemeral port, tracker
 * webhooks for the demo stream, and the playground mounted on it, as `npm start` does with
 * no chat credentials.
 */
import { loadDemo } from '../../../../src/demo/load-demo.ts';
import { startServer, type RunningServer } from '../../../../src/http/start-server.ts';
import type { Logger } from '../../../../src/log/logger.ts';
import { mountPlayground, playgroundStreamConfig, type Playground, type PlaygroundNudges } from '../../../../src/chat/playground/index.ts';
import type { Store, StoreDialect } from '../../../../src/store/database.ts';
import { createChartRenderer } from '../../../../src/charts/index.ts';
import { createNudgeCharts } from '../../../../src/nudges/nudge-charts.ts';
import type { NudgeContext } from '../../../../src/nudges/nudge-context.ts';
import { createOutboxWorker, type OutboxWorker } from '../../../../src/nudges/outbox-worker.ts';
import { checkSignals } from '../../../../src/nudges/signal-alert.ts';
import { openTestStore } from '../../../support/databases.ts';

export interface RunningPlayground {
  url: string;
  store: Store;
  streamId: number;
  server: RunningServer;
  playground: Playground;
  outbox: OutboxWorker;
  /** every warning and error the server logged */
  problems: string[];
  close(): Promise<void>;
}

/**
 * `nudges: false` mounts the playground without src/nudges (the controls then say so);
 * otherwise nudges are wired as `npm start` wires them: an outbox worker delivering through
 * the playground's deliverer, and a signal check after each delivery's transitions.
 */
export async function startPlayground(options: { dialect?: StoreDialect; now?: () => number; nudges?: false | Partial<PlaygroundNudges> } = {}): Promise<RunningPlayground> {
  const clock = options.now ?? (() => Date.now());
  const store = await openTestStore(options.dialect ?? 'sqlite');
  const problems: string[] = [];
  const log: Logger = {
    info() {},
    warn: (message, fields) => problems.push(`warn ${message} ${fields ? JSON.stringify(fields) : ''}`),
    error: (message, fields) => problems.push(`error ${message} ${fields ? JSON.stringify(fields) : ''}`),
  };
  const demo = await loadDemo(store, { now: clock() });
  const charts = createChartRenderer();
  const nudgeContext: NudgeContext = { store, charts: createNudgeCharts(charts), log: { warn: (m) => problems.push(`warn ${m}`) } };
  const outbox = createOutboxWorker({ store, now: clock, log: { warn: (m) => problems.push(`warn ${m}`) }, pollMs: 200 });
  nudgeContext.onEnqueued = () => outbox.wake();
  let playground: Playground | undefined;
  const server = await startServer({
    store,
    config: { path: null, streams: [playgroundStreamConfig({})] },
    port: 0,
    host: '127.0.0.1',
    log,
    now: clock,
    onTransitions: async (stream, keys) => {
      await playground?.onTransitions(stream, keys);
      if (options.nudges !== false) await checkSignals(nudgeContext, clock(), { streamName: stream });
    },
  });
  const nudges = options.nudges === false ? undefined : { context: nudgeContext, outbox, ...options.nudges };
  playground = await mountPlayground({ httpServer: server.httpServer, store, renderer: charts, log, clock, ...(nudges ? { nudges } : {}) });
  const mounted = playground;
  outbox.register(mounted.deliverer);
  if (nudges) outbox.start();
  return {
    url: `http://127.0.0.1:${server.port}`,
    store,
    streamId: demo.streamId,
    server,
    playground: mounted,
    outbox,
    problems,
    async close() {
      mounted.stop();
      await outbox.stop();
      await server.close();
      await charts.close();
      await store.close();
    },
  };
}
