import { createChartRenderer } from '../../../../src/charts/index.ts';
import { mountSlack } from '../../../../src/chat/slack/index.ts';
import { loadDemo } from '../../../../src/demo/load-demo.ts';
import { createHttpServer } from '../../../../src/http/server.ts';
import type { Store, StoreDialect } from '../../../../src/store/database.ts';
import { openTestStore } from '../../../support/databases.ts';
import { startFakeSlack, type FakeSlack } from './fake-slack.ts';
import { postSigned, slashCommandBody } from './sign.ts';

export const SIGNING_SECRET = 'test-signing-secret-8f2c';

export interface SlackHarness {
  url: string;
  store: Store;
  fake: FakeSlack;
  logs: string[];
  /** POSTs a signed /flow command to /slack/commands */
  command(text: string, fields?: Parameters<typeof slashCommandBody>[0] extends infer F ? Partial<F> : never): Promise<{ status: number; text: string; ms: number }>;
  close(): Promise<void>;
}

/**
 * A running flow-nudge HTTP server with the Slack app mounted on it (ephemeral port), the
 * demo stream loaded, and the Web API pointed at a fake Slack on 127.0.0.1.
 */
export async function startSlackHarness(options: { dialect?: StoreDialect; env?: Record<string, string>; demo?: boolean; store?: Store } = {}): Promise<SlackHarness> {
  const store = options.store ?? (await openTestStore(options.dialect ?? 'sqlite'));
  if (options.demo !== false) await loadDemo(store, { now: Date.now() });
  const fake = await startFakeSlack();
  const logs: string[] = [];
  const log = { info: (m: string) => logs.push(`info ${m}`), warn: (m: string) => logs.push(`warn ${m}`), error: (m: string) => logs.push(`error ${m}`) };
  const httpServer = createHttpServer({ log });
  const charts = createChartRenderer();
  const slack = await mountSlack({
    httpServer,
    store,
    charts,
    env: { SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: 'xoxb-single-workspace', SLACK_API_URL: fake.apiUrl, ...options.env },
    log,
  });
  const port = await httpServer.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    store,
    fake,
    logs,
    command: (text, fields = {}) => postSigned(`${url}/slack/commands`, SIGNING_SECRET, slashCommandBody({ text, response_url: fake.responseUrl, ...fields })),
    async close() {
      await slack.stop();
      await httpServer.close();
      await charts.close();
      await fake.close();
      if (!options.store) await store.close();
    },
  };
}
