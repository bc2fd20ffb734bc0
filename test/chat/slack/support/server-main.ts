/**
 * A flow-nudge server with only the Slack app mounted, in its own process (for the benchmark:
 * the client measuring acknowledgements must not share the server's event loop).
 * Env: DATABASE_URL, SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN, SLACK_API_URL. Prints {"port":N}.
 */
import { createChartRenderer } from '../../../../src/charts/index.ts';
import { mountSlack } from '../../../../src/chat/slack/index.ts';
import { createHttpServer } from '../../../../src/http/server.ts';
import { openStore } from '../../../../src/store/database.ts';

const store = await openStore(process.env.DATABASE_URL);
const log = { info() {}, warn: (m: string) => process.stderr.write(`warn ${m}\n`), error: (m: string) => process.stderr.write(`error ${m}\n`) };
const httpServer = createHttpServer({ log });
// Server-side acknowledgement times (route entered → answer ready), printed on SIGUSR2 as JSON.
const handled: number[] = [];
const addRoute = httpServer.addRoute.bind(httpServer);
const timed = {
  addRoute: (method: string, path: string, handler: Parameters<typeof addRoute>[2]) =>
    addRoute(method, path, async (request) => {
      const started = performance.now();
      try {
        return await handler(request);
      } finally {
        handled.push(performance.now() - started);
      }
    }),
};
process.on('SIGUSR2', () => {
  process.stderr.write(`${JSON.stringify({ serverAckMs: handled.splice(0) })}\n`);
});
const charts = createChartRenderer();
await mountSlack({ httpServer: timed, store, charts, env: process.env, log });
const port = await httpServer.listen(0, '127.0.0.1');
process.stdout.write(`${JSON.stringify({ port })}\n`);
process.on('SIGTERM', async () => {
  await httpServer.close();
  await charts.close();
  await store.close();
  process.exit(0);
});
