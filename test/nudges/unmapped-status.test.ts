/**
 * Issue 15, item 6: a webhook status the value-stream map does not name was reported only in
 * the server log while the channel showed the move as if it were mapped. Now the bound channel
 * is told once per status, with the fix: the map file and the stage to add the status to.
 * Through the real bot (`npm start` with no chat credentials: the playground channel).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_PLAYGROUND_WEBHOOK_SECRET, jiraSignature, jiraStatusChangeBody } from '../../src/chat/playground/webhook-config.ts';
import { startBot, type Bot } from '../../src/http/start-bot.ts';
import { listOutbox } from '../../src/store/outbox.ts';
import { DEMO_MAP } from '../../src/demo/demo-stream.ts';
import { suggestStage } from '../../src/workflow/suggest-stage.ts';
import { memoryLogger } from '../http/support/test-server.ts';

type Message = { id: number; label?: string; text: string; author: string };

describe('a webhook status missing from the map', () => {
  let bot: Bot | undefined;
  afterEach(async () => {
    await bot?.close();
    bot = undefined;
  });

  it('tells the channel once per status, with the map file and the stage to add it to', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flow-nudge-unmapped-'));
    writeFileSync(join(dir, 'flow-nudge.yaml'), 'streams: []\n');
    const log = memoryLogger();
    bot = await startBot({ env: { DATABASE_URL: `file:${join(dir, 'bot.db')}`, PORT: '0', FLOW_NUDGE_CONFIG: join(dir, 'flow-nudge.yaml') }, log, announce: () => {} });
    const base = `http://127.0.0.1:${bot.port}`;
    const deliver = async (key: string, to: string) => {
      const body = jiraStatusChangeBody({ key, title: `Item ${key}`, from: 'In Progress', to, at: Date.now() });
      const res = await fetch(`${base}/webhooks/jira`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature': jiraSignature(DEFAULT_PLAYGROUND_WEBHOOK_SECRET, body) }, body });
      expect(res.status).toBe(202);
    };
    const messages = async (): Promise<Message[]> => ((await (await fetch(`${base}/playground/messages?after=0&wait=0`)).json()) as { messages: Message[] }).messages;
    const waitFor = async (match: (m: Message) => boolean): Promise<Message> => {
      for (let i = 0; i < 200; i += 1) {
        const found = (await messages()).find(match);
        if (found) return found;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`no such message; the channel has: ${(await messages()).map((m) => m.text).join(' | ')}`);
    };

    await deliver('DEMO-901', 'QA Ready');
    const told = await waitFor((m) => m.label === 'Status not in the map');
    expect(told.text).toBe(
      "DEMO-901 moved from 'In Progress' to 'QA Ready', a status the value-stream map of demo does not name. The move is stored, but its time counts in no stage until the map names it. " +
        "Fix: add 'QA Ready' to the statuses of stage Code review (wait) in the built-in demo map (src/demo/demo-stream.ts), or to the stage it belongs to, and restart flow-nudge. (Said once for this status.)",
    );

    // the same status again, from another item: the channel is not told again; a new status is
    await deliver('DEMO-902', 'qa ready');
    await deliver('DEMO-903', 'Parked');
    await waitFor((m) => m.label === 'Status not in the map' && m.text.includes("'Parked'"));
    await waitFor((m) => m.text.includes('DEMO-902'));
    const alerts = (await listOutbox(bot.store.db, { kind: 'unmapped-status' })).length;
    expect(alerts).toBe(2);
    expect((await messages()).filter((m) => m.label === 'Status not in the map').map((m) => m.text.match(/to '([^']+)'/)?.[1])).toEqual(['QA Ready', 'Parked']);
    // the server log keeps its line per delivery
    expect(log.lines.filter((line) => line.includes("status 'qa ready' is not in its value-stream map"))).toHaveLength(1);
  }, 60_000);

  it('suggests the stage by the status words after the stage the item came from, else that stage', () => {
    expect(suggestStage(DEMO_MAP, 'QA Ready', 'In Progress')?.kind).toBe('wait');
    expect(suggestStage(DEMO_MAP, 'Released', 'In Review')?.kind).toBe('done');
    expect(suggestStage(DEMO_MAP, 'Parked', 'In Progress')?.name).toBe('Code review');
    expect(suggestStage(DEMO_MAP, 'Ready for QA', 'Testing')?.name).toBe('Ready for release');
    // no telling words: the stage the item came from; nothing known: no guess
    expect(suggestStage(DEMO_MAP, 'Lane 7', 'Testing')?.name).toBe('Testing');
    expect(suggestStage(DEMO_MAP, 'Lane 7')).toBeNull();
  });
});
