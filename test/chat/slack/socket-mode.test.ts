import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { mountSlack } from '../../../src/chat/slack/index.ts';
import { loadDemo } from '../../../src/demo/load-demo.ts';
import { createHttpServer } from '../../../src/http/server.ts';
import type { Store } from '../../../src/store/database.ts';
import { openTestStore } from '../../support/databases.ts';
import { startFakeSlack, type FakeSlack } from './support/fake-slack.ts';
import { useChartRenderer } from '../../support/chart-renderer.ts';

const charts = useChartRenderer();

describe('Socket Mode (SLACK_APP_TOKEN): commands arrive over a WebSocket, no public URL needed', () => {
  let store: Store;
  let fake: FakeSlack;
  let wss: WebSocketServer;
  let socket: Promise<WebSocket>;
  let stop: () => Promise<void>;
  const routes: string[] = [];

  beforeAll(async () => {
    store = await openTestStore('sqlite');
    await loadDemo(store, { now: Date.now() });
    fake = await startFakeSlack();
    wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((r) => wss.once('listening', r));
    socket = new Promise((resolve) =>
      wss.once('connection', (ws) => {
        ws.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0FAKE' } }));
        resolve(ws);
      }),
    );
    fake.answer('apps.connections.open', { url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/` });
    const httpServer = createHttpServer({ log: { error() {} } });
    const table = { addRoute: (method: string, path: string, handler: Parameters<typeof httpServer.addRoute>[2]) => { routes.push(`${method} ${path}`); httpServer.addRoute(method, path, handler); } };
    const slack = await mountSlack({
      httpServer: table,
      store,
      charts,
      env: { SLACK_APP_TOKEN: 'xapp-test', SLACK_BOT_TOKEN: 'xoxb-socket', SLACK_API_URL: fake.apiUrl },
      log: { info() {}, warn() {}, error() {} },
    });
    stop = slack.stop;
  });
  afterAll(async () => {
    await stop();
    wss.close();
    await fake.close();
    await store.close();
  });

  it('opens the connection with the app token, acknowledges a slash command envelope and answers in the channel', async () => {
    const ws = await socket;
    const [open] = fake.callsTo('apps.connections.open');
    expect(open!.token).toBe('xapp-test');
    expect(routes).toEqual([]); // no HTTP request URLs in Socket Mode

    const acks: unknown[] = [];
    ws.on('message', (data) => acks.push(JSON.parse(String(data))));
    const command = (id: string, text: string) =>
      ws.send(JSON.stringify({
        envelope_id: id,
        type: 'slash_commands',
        accepts_response_payload: true,
        payload: { token: 'legacy', team_id: 'T0FAKE', team_domain: 'fake', channel_id: 'C-SOCK', channel_name: 'sock', user_id: 'U-SOCK', user_name: 'u', command: '/flow', text, api_app_id: 'A0FAKE', response_url: fake.responseUrl, trigger_id: `t-${id}` },
      }));
    command('env-1', 'bind demo');
    await expect.poll(() => acks.some((a) => (a as { envelope_id: string }).envelope_id === 'env-1'), { timeout: 5000 }).toBe(true);
    await fake.waitFor('chat.postMessage', (c) => c.params.channel === 'C-SOCK' && /now follows the value stream demo/.test(c.params.text));
    command('env-2', 'who is slowest');
    const [refusal] = await fake.waitFor('chat.postEphemeral', (c) => c.params.user === 'U-SOCK');
    expect(refusal!.params.text).toContain('does not report metrics per person');
    expect(refusal!.token).toBe('xoxb-socket');
  });
});
