/**
 * Starts the bot's HTTP server: health, the tracker webhook routes, and the
 * inbox processor. Called by `flow-nudge start` (npm start); later issues add
 * the Slack, Teams and playground routes to `httpServer`.
 */
import { createServer as createNetServer } from 'node:net';
import type { Config } from '../config/load-config.ts';
import type { Store } from '../store/database.ts';
import { countUnfinishedDeliveries } from '../store/webhook-deliveries.ts';
import { saveConfiguredStream } from './save-configured-stream.ts';
import { startDeliveryProcessor, type DeliveryProcessor } from '../trackers/delivery-processor.ts';
import type { IngestStream, UnmappedStatus } from '../trackers/process-delivery.ts';
import { createProjectStatusLookup } from '../trackers/github/project-status.ts';
import { VENDORS } from '../trackers/tracker-event.ts';
import type { Logger } from '../log/logger.ts';
import type { FlowNudgeHttpServer } from '../route/route.ts';
import { createHttpServer } from './server.ts';
import { createWebhookRoute, type WebhookSource } from './webhook-route.ts';
import { createInboxWriter } from './inbox-writer.ts';

export interface StartServerOptions {
  store: Store;
  config: Config;
  /** 0 picks a free port */
  port: number;
  host?: string;
  log: Logger;
  now?: () => number;
  /** called after a delivery's transitions are committed, per stream */
  onTransitions?: (streamName: string, keys: string[]) => void | Promise<void>;
  /** called after a delivery with statuses a stream's map does not name */
  onUnmappedStatuses?: (streamName: string, statuses: UnmappedStatus[]) => void | Promise<void>;
  maxBodyBytes?: number;
  /** adds the other routes (Slack, Teams, the playground) before the port opens */
  mount?: (httpServer: FlowNudgeHttpServer) => Promise<void> | void;
}

export interface RunningServer {
  port: number;
  httpServer: FlowNudgeHttpServer;
  processor: DeliveryProcessor;
  close(): Promise<void>;
}

export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const now = options.now ?? (() => Date.now());
  const streams: IngestStream[] = [];
  for (const stream of options.config.streams) {
    const id = await saveConfiguredStream(options.store.db, stream, now(), (line) => options.log.warn(line));
    streams.push({ name: stream.name, id, map: stream.map, mapOrigin: stream.mapOrigin, sources: stream.sources });
  }
  // Acknowledging deliveries comes first: while requests are in flight the processor runs less often.
  let inFlight = 0;
  let lastRequestAt = 0;
  const processor = startDeliveryProcessor({
    store: options.store,
    streams,
    log: options.log,
    now,
    isBusy: () => inFlight > 0 || performance.now() - lastRequestAt < 50,
    resolveLookups: createProjectStatusLookup({ now }),
    ...(options.onTransitions && { onTransitions: options.onTransitions }),
    ...(options.onUnmappedStatuses && { onUnmappedStatuses: options.onUnmappedStatuses }),
  });
  const httpServer = createHttpServer({ log: options.log, ...(options.maxBodyBytes && { maxBodyBytes: options.maxBodyBytes }) });

  httpServer.addRoute('GET', '/healthz', async () => ({
    status: 200,
    body: { ok: true, database: options.store.dialect, streams: streams.map((s) => s.name), deliveries: await countUnfinishedDeliveries(options.store.db) },
  }));
  const inbox = createInboxWriter(options.store);
  for (const vendor of VENDORS) {
    const sources: WebhookSource[] = options.config.streams.flatMap((s) => s.sources.filter((source) => source.vendor === vendor));
    const route = createWebhookRoute({ vendor, sources, now, inbox, onStored: () => processor.wake() });
    httpServer.addRoute('POST', `/webhooks/${vendor}`, async (request) => {
      inFlight += 1;
      lastRequestAt = performance.now();
      try {
        return await route(request);
      } finally {
        inFlight -= 1;
      }
    });
  }

  let port: number;
  try {
    // A port in use is said before the routes are mounted (mounting logs what it sets up).
    if (options.mount && options.port !== 0) await probePort(options.port, options.host);
    await options.mount?.(httpServer);
    port = await httpServer.listen(options.port, options.host);
  } catch (error) {
    // nothing may keep running on a server that never listened (the caller closes the store next)
    await processor.stop();
    throw error;
  }
  options.log.info(`flow-nudge: listening on port ${port} (${streams.length} stream${streams.length === 1 ? '' : 's'}, database ${options.store.dialect})`);
  return {
    port,
    httpServer,
    processor,
    async close() {
      await httpServer.close();
      await processor.stop();
    },
  };
}

/** Rejects with the listen error (EADDRINUSE, EACCES) when `port` cannot be bound; binds nothing. */
function probePort(port: number, host?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', reject);
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}
