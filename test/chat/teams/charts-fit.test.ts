/**
 * Teams charts that fit: a message Teams refuses above about 100 KB (413), so the chart rides in
 * the message only when it fits; otherwise the card loads it from the bot's /charts. A refused
 * answer becomes a short text saying what happened and the fix.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startBot } from '../../../src/http/start-bot.ts';
import { loadDemo } from '../../../src/demo/load-demo.ts';
import { CHARTS_LEFT_OUT, MAX_ACTIVITY_BYTES } from '../../../src/chat/teams/reply-activity.ts';
import { messageActivity } from './support/activities.ts';
import { cardOf, cardText } from './support/card-schema.ts';
import { startFakeConnector } from './support/fake-connector.ts';
import { NOW, startTeamsHarness } from './support/harness.ts';
import { memoryLogger } from '../../http/support/test-server.ts';

const REPLIES = /\/v3\/conversations\/.+\/activities/;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function findImage(card: any): any {
  let found: any = null;
  const walk = (node: any) => {
    if (found || !node || typeof node !== 'object') return;
    if (node.type === 'Image') found = node;
    else for (const value of Object.values(node)) walk(value);
  };
  walk(card);
  return found;
}

function imagesOf(card: any): string[] {
  const urls: string[] = [];
  const walk = (node: any) => {
    if (!node || typeof node !== 'object') return;
    if (node.type === 'Image' && typeof node.url === 'string') urls.push(node.url);
    for (const value of Object.values(node)) walk(value);
  };
  walk(card);
  return urls;
}

describe('Teams charts that fit', () => {
  const cleanups: (() => unknown)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('local mode (npm start without credentials): /flow leadtime reaches a connector that refuses over 100 KB, with its chart from the bot', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flow-nudge-teams-fit-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const config = join(dir, 'flow-nudge.yaml');
    writeFileSync(config, 'streams: []\n');
    const connector = await startFakeConnector({ maxActivityBytes: MAX_ACTIVITY_BYTES });
    cleanups.push(() => connector.close());
    const log = memoryLogger();
    const bot = await startBot({ env: { PORT: '0', DATABASE_URL: `file:${join(dir, 'bot.db')}`, FLOW_NUDGE_CONFIG: config, LOG_LEVEL: 'warn' }, log, announce: () => {} });
    cleanups.push(() => bot.close());
    expect(bot.mode.playground).toBe(true);
    const post = (text: string) =>
      fetch(`http://127.0.0.1:${bot.port}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(messageActivity(connector.serviceUrl, 'personal', text)) });

    expect((await post('bind demo')).status).toBe(200);
    await connector.waitFor(REPLIES, (c) => /demo/.test(cardText(cardOf(c.body))), 20_000);
    expect((await post('leadtime')).status).toBe(200);
    const answer = await connector.waitFor(REPLIES, (c) => /lead time/i.test(cardText(cardOf(c.body))), 30_000);

    expect(connector.calls.filter((c) => c.status === 413)).toEqual([]); // nothing refused
    expect(Buffer.byteLength(JSON.stringify(answer.body))).toBeLessThan(MAX_ACTIVITY_BYTES);
    const [image] = imagesOf(cardOf(answer.body));
    expect(image).toMatch(new RegExp(`^http://localhost:${bot.port}/charts/chart\\.png\\?token=`));
    // a click on the chart opens it full size
    const imageElement = findImage(cardOf(answer.body));
    expect(imageElement?.selectAction).toEqual({ type: 'Action.OpenUrl', url: image, title: 'Open the chart full size' });
    const png = await fetch(image!.replace('localhost', '127.0.0.1'));
    expect(png.status).toBe(200);
    expect(Buffer.from(await png.arrayBuffer()).subarray(0, 8)).toEqual(PNG_SIGNATURE);
  });

  it('without a URL the client can reach, a chart too big to ride inline is left out and the card says why', async () => {
    const h = await startTeamsHarness('sqlite', { publicUrl: '' });
    cleanups.push(() => h.close());
    await loadDemo(h.store, { now: NOW });
    await h.post(messageActivity(h.connector.serviceUrl, 'personal', 'bind demo'));
    await h.connector.waitFor(REPLIES, (c) => /demo/.test(cardText(cardOf(c.body))));
    await h.post(messageActivity(h.connector.serviceUrl, 'personal', 'leadtime'));
    const answer = await h.connector.waitFor(REPLIES, (c) => /lead time/i.test(cardText(cardOf(c.body))), 30_000);
    const size = Buffer.byteLength(JSON.stringify(answer.body));
    expect(size).toBeLessThan(MAX_ACTIVITY_BYTES);
    const images = imagesOf(cardOf(answer.body));
    // the lead-time chart inline makes a ~147 KB activity: it is left out, and the card says why
    expect(images).toEqual([]);
    expect(cardText(cardOf(answer.body))).toContain(CHARTS_LEFT_OUT);
    expect(h.logs.some((l) => l.level === 'warn' && /no PUBLIC_URL set/.test(l.message))).toBe(true);
  });

  it('a refused answer (413, 403, 404) turns into a short text with what happened and the fix', async () => {
    const h = await startTeamsHarness('sqlite');
    cleanups.push(() => h.close());
    const cases: [number, RegExp][] = [
      [413, /too big for Teams \(413.*Set PUBLIC_URL/],
      [403, /did not let me post the answer here \(403\).*installed/],
      [404, /could not find where to post the answer \(404/],
    ];
    for (const [status, words] of cases) {
      h.connector.failNext(REPLIES, status, 1);
      await h.post(messageActivity(h.connector.serviceUrl, 'personal', 'help'));
      const notice = await h.connector.waitFor(REPLIES, (c) => typeof c.body?.text === 'string' && words.test(c.body.text));
      expect(notice.body.attachments ?? []).toEqual([]);
    }
  });

  it('warns when PUBLIC_URL is not HTTPS', async () => {
    const h = await startTeamsHarness('sqlite', { publicUrl: 'http://flow.example.com' });
    cleanups.push(() => h.close());
    expect(h.logs.some((l) => l.level === 'warn' && /PUBLIC_URL is http:\/\/flow\.example\.com, not HTTPS/.test(l.message))).toBe(true);
  });
});
