/**
 * Slack benchmarks, over real HTTP with requests signed as Slack signs them, against the
 * server in its own process (SQLite file), the Web API pointed at a fake Slack in this process:
 * - acknowledgement latency p50/p99 under 100 concurrent /flow commands (target p99 ≤ 50 ms);
 * - time from a command to its chart posted in the channel with 20,000+ items of history
 *   (target p95 ≤ 1 s), cold (first question of the stream) and warm.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { loadDemo } from '../src/demo/load-demo.ts';
import { openStore } from '../src/store/database.ts';
import { startFakeSlack, type FakeSlack } from '../test/chat/slack/support/fake-slack.ts';
import { postSigned, slashCommandBody } from '../test/chat/slack/support/sign.ts';

const SECRET = 'bench-signing-secret';
const root = fileURLToPath(new URL('..', import.meta.url));

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
const round = (n: number) => Math.round(n * 10) / 10;

interface BenchServer {
  url: string;
  child: ChildProcess;
  /** the server's own route times (entered → answer ready) since the last call */
  serverAckTimes(): Promise<number[]>;
}

async function startServer(databaseUrl: string, fake: FakeSlack): Promise<BenchServer> {
  const child = spawn(process.execPath, [join(root, 'bin/run-ts.js'), join(root, 'test/chat/slack/support/server-main.ts')], {
    env: { ...process.env, DATABASE_URL: databaseUrl, SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_API_URL: fake.apiUrl, NODE_ENV: 'bench' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let waiting: ((times: number[]) => void) | undefined;
  createInterface({ input: child.stderr! }).on('line', (text) => {
    if (text.startsWith('{"serverAckMs"')) waiting?.(JSON.parse(text).serverAckMs);
    else process.stderr.write(`${text}\n`);
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${JSON.parse(line).port}`,
    child,
    serverAckTimes: () =>
      new Promise((resolve) => {
        waiting = resolve;
        child.kill('SIGUSR2');
      }),
  };
}

/** The floor of this machine: a bare node:http server answering "ok", under the same 100 concurrent POSTs. */
async function bareServerFloor(): Promise<{ p50: number; p99: number }> {
  const code = `const s=require('node:http').createServer((q,r)=>{q.resume();q.on('end',()=>r.end('ok'))});s.listen(0,'127.0.0.1',()=>console.log(s.address().port))`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const port = await new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once('line', resolve));
    const once = () => Promise.all(Array.from({ length: 100 }, async () => {
      const t0 = performance.now();
      await (await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: 'text=help' })).text();
      return performance.now() - t0;
    }));
    await once();
    const times = await once();
    return { p50: round(percentile(times, 50)), p99: round(percentile(times, 99)) };
  } finally {
    child.kill();
  }
}

export async function benchSlack(): Promise<Record<string, number | string>> {
  const dir = mkdtempSync(join(tmpdir(), 'flow-nudge-bench-slack-'));
  const databaseUrl = `file:${join(dir, 'bench.db')}`;
  const now = Date.now();
  const store = await openStore(databaseUrl);
  await loadDemo(store, { now });
  const big = await loadDemo(store, { now, name: 'big', arrivalsPerDay: 80, seed: 7 });
  await store.close();

  const floor = await bareServerFloor();
  const fake = await startFakeSlack();
  const server = await startServer(databaseUrl, fake);
  const { url, child } = server;
  const command = (text: string, channel: string, user = 'U-BENCH') =>
    postSigned(`${url}/slack/commands`, SECRET, slashCommandBody({ text, channel_id: channel, user_id: user, response_url: fake.responseUrl }));
  const figures: Record<string, number | string> = {
    'reference: bare node:http "ok" server, same 100 concurrent POSTs, p50/p99 (ms)': `${floor.p50} / ${floor.p99}`,
  };
  try {
    // 1. acknowledgements under 100 concurrent commands on the demo stream
    await command('bind demo', 'C-ACK');
    await fake.waitFor('chat.postMessage', (c) => c.params.channel === 'C-ACK');
    const texts = ['leadtime 30d', 'cycletime', 'throughput', 'stages', 'help', 'event list', 'ffr', 'xmr', 'forecast 14 days', 'cycletime by assignee'];
    await Promise.all(texts.map((t) => command(t, 'C-ACK')));
    await fake.waitFor('files.completeUploadExternal', (c) => c.params.channel_id === 'C-ACK', { count: 6, timeoutMs: 120_000 });
    await new Promise((r) => setTimeout(r, 3000));
    await server.serverAckTimes();
    const uploadsBefore = fake.callsTo('files.completeUploadExternal').length;
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => command(texts[i % texts.length]!, 'C-ACK', `U${i}`)));
    const latencies = results.map((r) => r.ms);
    figures['ack p50 (ms), 100 concurrent /flow commands'] = round(percentile(latencies, 50));
    figures['ack p99 (ms), 100 concurrent /flow commands'] = round(percentile(latencies, 99));
    figures['ack max (ms)'] = round(Math.max(...latencies));
    figures['non-200 acks'] = results.filter((r) => r.status !== 200).length;
    const serverSide = await server.serverAckTimes();
    figures['server-side ack p50 (ms): request read → answer ready'] = round(percentile(serverSide, 50));
    figures['server-side ack p99 (ms)'] = round(percentile(serverSide, 99));
    const started = performance.now();
    await fake.waitFor('files.completeUploadExternal', () => true, { count: uploadsBefore + 60, timeoutMs: 300_000 });
    figures['all 60 charts of the burst posted after (s)'] = round((performance.now() - started) / 1000);

    // 2. command → chart posted, 20,000+ items of history
    await command('bind big', 'C-BIG');
    await fake.waitFor('chat.postMessage', (c) => c.params.channel === 'C-BIG');
    const questions = ['cycletime 90d', 'leadtime 90d', 'throughput 26w', 'stages 90d', 'aging'];
    const times: number[] = [];
    let posted = 0;
    for (let roundNo = 0; roundNo < 5; roundNo++) {
      for (const text of questions) {
        const t0 = performance.now();
        await command(text, 'C-BIG');
        posted += 1;
        await fake.waitFor('files.completeUploadExternal', (c) => c.params.channel_id === 'C-BIG', { count: posted, timeoutMs: 120_000 });
        const elapsed = performance.now() - t0;
        if (posted === 1) figures['cold: first command → chart posted (ms), reads the whole history'] = round(elapsed);
        else times.push(elapsed);
      }
    }
    figures['history items'] = big.items;
    figures['warm: command → chart posted p50 (ms)'] = round(percentile(times, 50));
    figures['warm: command → chart posted p95 (ms)'] = round(percentile(times, 95));
    figures['warm: command → chart posted max (ms)'] = round(Math.max(...times));
    figures['commands measured'] = times.length;
    return figures;
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
