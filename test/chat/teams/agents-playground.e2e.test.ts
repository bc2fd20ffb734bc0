/**
 * The Teams app in Microsoft's own Teams client emulator, the Agents Playground (npm
 * `@microsoft/m365agentsplayground`, run locally with `-e <bot>/api/messages -c msteams`),
 * its web UI in a real headless Chromium (Debian's `chromium`, driven by playwright-core):
 * `help` shows one line per command, `leadtime` shows its chart image loaded, and the event
 * form submitted in the card is stored. The bot is the real HTTP server with Teams mounted,
 * on a fresh SQLite store with the demo stream; the playground is its connector.
 *
 * UPDATE_SCREENSHOT=1 also writes docs/agents-playground.png (1280×900) from this session.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../../src/demo/load-demo.ts';
import { listFlowEvents } from '../../../src/store/flow-events.ts';
import { getStream } from '../../../src/store/value-streams.ts';
import { NOW, startTeamsHarness, type TeamsHarness } from './support/harness.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const PLAYGROUND_CLI = new URL('../../../node_modules/@microsoft/m365agentsplayground/cli.js', import.meta.url).pathname;

// CI (CI=true, where .ci/run installs chromium) always runs it; elsewhere a machine without
// Debian's chromium skips it, loudly, so `npm test` works on a fresh machine.
const browserMissing = !existsSync(CHROMIUM) && !process.env.CI;
if (browserMissing) console.warn(`\n*** Agents Playground browser test SKIPPED: no browser at ${CHROMIUM}. Install it with \`apt-get install -y chromium\` (CI installs it). ***\n`);

/** An <img>'s natural width once it has loaded (0 while loading or when it failed). */
const loadedWidth = (img: { complete: boolean; naturalWidth: number }) => (img.complete ? img.naturalWidth : 0);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts `agentsplayground` against the bot and resolves with the port its web UI listens on. */
function startAgentsPlayground(botEndpoint: string, port: number, cwd: string): Promise<{ child: ChildProcess; port: number; output: () => string }> {
  // run in a scratch folder: the playground writes its log to devTools/ under its working directory
  const child = spawn(process.execPath, [PLAYGROUND_CLI, '-e', botEndpoint, '-c', 'msteams', '-p', String(port), '--disable-telemetry'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`agentsplayground did not say "Listening on …" within 30 s; it said: ${output || 'nothing'}`)), 30_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const listening = /Listening on (\d+)/.exec(output);
      if (listening) {
        clearTimeout(timer);
        resolve({ child, port: Number(listening[1]), output: () => output });
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`agentsplayground exited with ${code}: ${output}`));
    });
  });
}

describe.skipIf(browserMissing)('Teams app in the Microsoft 365 Agents Playground', () => {
  let bot: TeamsHarness;
  let playground: Awaited<ReturnType<typeof startAgentsPlayground>>;
  let context: BrowserContext;
  let page: Page;
  let profile: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`No browser at ${CHROMIUM}: install Debian's chromium with \`apt-get install -y chromium\` (.ci/run does).`);
    bot = await startTeamsHarness('sqlite');
    await loadDemo(bot.store, { now: NOW });
    profile = mkdtempSync(join(tmpdir(), 'flow-nudge-agents-playground-'));
    playground = await startAgentsPlayground(`${bot.baseUrl}/api/messages`, await freePort(), profile);
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1, locale: 'en-GB' });
    page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`http://127.0.0.1:${playground.port}/`);
    // the playground installs the app in a personal chat: the bot's welcome card arrives
    await page.locator('.ac-adaptiveCard').filter({ hasText: 'Hello! flow-nudge' }).first().waitFor({ timeout: 30_000 });
  }, 90_000);

  afterAll(async () => {
    await context?.close();
    playground?.child.kill();
    await bot?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  /** Types a message into the playground's composer and waits for the bot's card containing `answer`. */
  async function ask(text: string, answer: string | RegExp): Promise<Locator> {
    const cards = page.locator('.ac-adaptiveCard');
    const before = await cards.count();
    await page.locator('[data-lexical-editor="true"]').click();
    await page.keyboard.type(text);
    await page.keyboard.press('Enter');
    await expect.poll(() => cards.count(), { timeout: 30_000 }).toBeGreaterThan(before);
    const card = cards.last();
    await card.filter({ hasText: answer }).waitFor({ timeout: 30_000 });
    return card;
  }

  it('shows help with one line per command, in the words of a 1:1 chat', async () => {
    const card = await ask('help', 'XmR and forecast');
    const lines = await card.locator('.ac-textBlock').allInnerTexts();
    expect(lines).toContain('leadtime 30d — lead time percentiles and scatterplot');
    expect(lines).toContain('cycletime 12w — cycle time percentiles and scatterplot');
    for (const group of ['Metrics', 'XmR and forecast', 'Outcomes and experiments', 'Check-in and setup']) expect(lines).toContain(group);
    expect(lines.join('\n')).not.toContain('/flow');
  });

  it('answers leadtime with its chart, and the image loads', async () => {
    await ask('bind demo', 'now follows the value stream demo');
    const card = await ask('leadtime 30d', 'Lead time of demo, last 30 days');
    const chart = card.locator('img[src*="/charts/chart.png?token="]');
    await chart.waitFor({ timeout: 30_000 });
    await expect.poll(() => chart.evaluate(loadedWidth), { timeout: 30_000 }).toBeGreaterThan(0);
    await expect(chart.getAttribute('alt')).resolves.toMatch(/85% of the \d+ items finished/);
    await chart.scrollIntoViewIfNeeded();
    if (process.env.UPDATE_SCREENSHOT) await page.screenshot({ path: new URL('../../../docs/agents-playground.png', import.meta.url).pathname });
  });

  it('answers map with the value-stream map picture, and the image loads', async () => {
    const card = await ask('map 90d', 'Value-stream map of demo, last 90 days');
    const chart = card.locator('img[src*="/charts/chart.png?token="]');
    await chart.waitFor({ timeout: 30_000 });
    await expect.poll(() => chart.evaluate(loadedWidth), { timeout: 30_000 }).toBeGreaterThan(0);
    // the card says the constraint in words next to the picture
    await expect(card.textContent()).resolves.toMatch(/Most waiting happens in/);
    await chart.scrollIntoViewIfNeeded();
    if (process.env.UPDATE_SCREENSHOT) await page.screenshot({ path: new URL('../../../docs/agents-playground-map.png', import.meta.url).pathname });
  });

  it('stores an event submitted through the form card', async () => {
    const form = await ask('event', 'Log a flow event');
    await form.getByPlaceholder('WIP limit 3 on Code review').fill('Swarm on the oldest item first');
    await form.getByRole('button', { name: 'Log event' }).click();
    const stream = (await getStream(bot.store.db, 'demo'))!;
    await expect.poll(async () => (await listFlowEvents(bot.store.db, stream.id)).map((e) => e.text), { timeout: 30_000 }).toContain('Swarm on the oldest item first');
    // the card is replaced by the saved card for the person who submitted it
    await page.locator('.ac-adaptiveCard').filter({ hasText: 'Event logged' }).first().waitFor({ timeout: 30_000 });
  });
});
