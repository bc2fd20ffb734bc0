/**
 * Start order and shutdown of `flow-nudge start` (a real process on a real port):
 * - the first request that reaches the port is routed (a signed /flow help gets 200, never 404);
 * - SIGTERM with 50 webhook requests half-sent: no new connection is taken, the 50 finish
 *   sending and are answered (202, stored), and the process exits 0.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/database.ts';
import { startFlowNudge } from '../support/start-flow-nudge.ts';
import { startFakeSlack } from '../chat/slack/support/fake-slack.ts';
import { slackSignatureHeaders, slashCommandBody } from '../chat/slack/support/sign.ts';
import { readFixture, vendorHeaders } from '../trackers/support/vendor-requests.ts';

const SIGNING_SECRET = 'shutdown-signing-secret';
const JIRA_SECRET = 'shutdown-jira-secret';
const HALF_SENT = 50;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

describe('flow-nudge start: start order and SIGTERM', () => {
  const cleanups: (() => unknown)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('routes the first request, and answers requests half-sent at SIGTERM before exiting', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flow-nudge-shutdown-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const config = join(dir, 'flow-nudge.yaml');
    writeFileSync(
      config,
      'streams:\n  - name: web\n    map:\n      timeZone: UTC\n      stages:\n        - { name: Backlog, kind: backlog, statuses: [To Do] }\n' +
        '        - { name: Development, kind: touch, statuses: [In Progress] }\n        - { name: Done, kind: done, statuses: [Done] }\n' +
        '    sources:\n      - { vendor: jira, project: TES, secretEnv: JIRA_SECRET }\n',
    );
    const fake = await startFakeSlack();
    cleanups.push(() => fake.close());
    const port = await freePort();
    const bot = startFlowNudge({
      cwd: dir,
      env: {
        PORT: String(port),
        DATABASE_URL: `file:${join(dir, 'bot.db')}`,
        FLOW_NUDGE_CONFIG: config,
        JIRA_SECRET,
        SLACK_BOT_TOKEN: 'xoxb-shutdown-test',
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: fake.apiUrl,
      },
    });
    const { child, exited } = bot;
    cleanups.push(() => bot.kill());

    // 1. Knock until the port opens: the very first answer is the Slack route's, not a 404.
    const help = slashCommandBody({ text: 'help', response_url: fake.responseUrl });
    let first: number | undefined;
    const until = Date.now() + 60_000;
    while (first === undefined) {
      if (child.exitCode !== null || Date.now() > until) throw new Error(`the bot did not open port ${port}:\n${bot.log()}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/slack/commands`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...slackSignatureHeaders(SIGNING_SECRET, help) },
          body: help,
        });
        first = res.status;
      } catch {
        await new Promise((r) => setTimeout(r, 10)); // not listening yet
      }
    }
    expect(first).toBe(200);

    // 2. 50 webhook requests, headers and half the body sent.
    const fixture = readFixture('jira', 'issue_updated_status.json');
    const sockets = await Promise.all(
      Array.from({ length: HALF_SENT }, async (_, i) => {
        const body = fixture.replaceAll('"TES-41"', `"TES-${30_000 + i}"`);
        const headers = { ...vendorHeaders('jira', JIRA_SECRET, body, { deliveryId: `half-${i}` }), 'content-length': String(Buffer.byteLength(body)), host: `127.0.0.1:${port}` };
        const socket = await openSocket(port);
        let answer = '';
        socket.on('data', (c: Buffer) => (answer += c.toString()));
        const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
        socket.on('error', () => {});
        const head = `POST /webhooks/jira HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`;
        const half = Math.floor(body.length / 2);
        await new Promise<void>((resolve) => socket.write(head + body.slice(0, half), () => resolve()));
        return { socket, rest: body.slice(half), answer: () => answer, closed };
      }),
    );
    await new Promise((r) => setTimeout(r, 300)); // the server has read the halves

    child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    expect(child.exitCode).toBe(null); // still answering what it took
    await expect(openSocket(port)).rejects.toThrow(/ECONNREFUSED/); // takes nothing new
    for (const s of sockets) s.socket.write(s.rest);
    const statuses = await Promise.all(
      sockets.map(async (s) => {
        await Promise.race([s.closed, new Promise((r) => setTimeout(r, 15_000))]);
        return /^HTTP\/1\.1 (\d{3})/.exec(s.answer())?.[1] ?? 'no answer';
      }),
    );
    expect(statuses).toEqual(Array(HALF_SENT).fill('202'));
    expect(await exited).toBe(0);

    const store = await openSqliteStore(join(dir, 'bot.db'));
    try {
      const rows = await store.db.selectFrom('webhook_delivery').select('delivery_id').where('delivery_id', 'like', 'half-%').execute();
      expect(rows.length).toBe(HALF_SENT);
    } finally {
      await store.close();
    }
  });
});
