/**
 * The server's edge under hostile load (issue 21): the server runs in its own process with a
 * 1,024 open-file limit (and --expose-gc, as the launcher runs it); this process holds 1,000
 * slow-body connections (64 KB of a 1 MB body, then a byte a second) and 1,000 slow-header
 * connections (a header byte a second), reopening each one the server closes a second later,
 * for `--seconds=N` (default 60; --slow-body=N, --slow-header=N change the counts). Meanwhile,
 * and after the attack, a normal client sends a signed Jira webhook every 100 ms on a fresh
 * connection and asks /healthz every 500 ms.
 * Figures: how fast the signed deliveries were answered, healthz answers, the server's open
 * files, and its RSS at start (up and warmed by 50 webhooks), at the peak, 10 s and 60 s
 * (--settle=S) after the attack, with the server's process.memoryUsage() and its RSS by
 * mapping (the malloc heap, other anonymous memory: V8's pages among it, files).
 * The --expose-gc matters here: with it (as `npm start` and the `flow-nudge` bin run the bot) the
 * edge collects the Buffers its body reads leave, every 4 MB read, and once after a surge
 * (src/http/connection-guard.ts); without it those are no-ops and RSS stays ~1.3× its start.
 * (The launcher's other setting, MIMALLOC_PURGE_DELAY, is for resvg, which this server does not load.)
 * --trace prints them every 2 s; EDGE_CHILD_NODE_ARGS=--trace-gc EDGE_CHILD_LOG=FILE logs the
 * server's collections.
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChildServer } from '../test/http/support/child-server.ts';
import { SECRETS } from '../test/http/support/test-server.ts';
import { readFixture, vendorHeaders } from '../test/trackers/support/vendor-requests.ts';

const flag = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback);
const SLOW_BODY = flag('slow-body', 1_000);
const SLOW_HEADER = flag('slow-header', 1_000);
/** how long after the attack the last RSS is read, s (the figure named "after 60 s") */
const SETTLE_S = flag('settle', 60);

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : 0;
}

/** RSS by kind of mapping: the malloc heap ([heap] and other arenas' 64 MB regions), other anonymous memory (V8's pages among it), files. */
function smapsMb(pid: number): string {
  const sums = { heap: 0, arenas: 0, anon: 0, file: 0 };
  let kind: keyof typeof sums = 'anon';
  try {
    for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
      const head = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \d+\s*(.*)$/.exec(line);
      if (head) {
        const size = (Number.parseInt(head[2]!, 16) - Number.parseInt(head[1]!, 16)) / 1024 / 1024;
        const name = head[3] ?? '';
        kind = name === '[heap]' ? 'heap' : name.startsWith('/') ? 'file' : name === '' && size >= 1 && size <= 64 && Number.parseInt(head[1]!, 16) % (64 * 1024 * 1024) === 0 ? 'arenas' : 'anon';
        continue;
      }
      const rss = /^Rss:\s+(\d+) kB/.exec(line);
      if (rss) sums[kind] += Number(rss[1]) / 1024;
    }
  } catch {
    return '';
  }
  return Object.entries(sums).map(([k, v]) => `${k} ${Math.round(v)}`).join(' ');
}

function openFiles(pid: number): number {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return -1;
  }
}

/** One POST or GET on a fresh connection; resolves with the status (0 on a connection error) and ms. */
function once(port: number, method: string, path: string, body: string, headers: Record<string, string>): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { ...headers, connection: 'close', 'content-length': String(Buffer.byteLength(body)) }, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
    });
    req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ status: 0, ms: performance.now() - started }));
    req.end(body);
  });
}

export async function benchEdge(): Promise<Record<string, number | string>> {
  const seconds = Number(process.argv.find((a) => a.startsWith('--seconds='))?.slice(10) ?? 60);
  const dir = mkdtempSync(join(tmpdir(), 'flow-nudge-bench-edge-'));
  const server = await startChildServer({ DATABASE_URL: `file:${join(dir, 'edge.db')}`, MEMORY_REPORT_MS: '500'}, { fileLimit: 1024, exposeGc: true, nodeArgs: process.env.EDGE_CHILD_NODE_ARGS?.split(' ').filter(Boolean) ?? [] });
  const pid = server.child.pid!;
  // the server's own view of its memory, every 500 ms
  let memory: NodeJS.MemoryUsage | undefined;
  let memOut = '';
  server.child.stdout!.on('data', (chunk: Buffer) => {
    memOut += chunk.toString();
    const lines = memOut.split('\n');
    memOut = lines.pop() ?? '';
    for (const line of lines) {
      if (line.startsWith('MEMORY ')) memory = JSON.parse(line.slice(7)) as NodeJS.MemoryUsage;
      else if (process.env.EDGE_CHILD_LOG) appendFileSync(process.env.EDGE_CHILD_LOG, `${((performance.now() - t0) / 1000).toFixed(1)} ${line}\n`);
    }
  });
  const trace = process.argv.includes('--trace');
  const t0 = performance.now();
  const mb = (n: number | undefined) => Math.round((n ?? 0) / 1024 / 1024);
  const describe = () =>
    `rss ${rssMb(pid)} heapUsed ${mb(memory?.heapUsed)} heapTotal ${mb(memory?.heapTotal)} external ${mb(memory?.external)} arrayBuffers ${mb(memory?.arrayBuffers)}; smaps ${smapsMb(pid)} (MB)`;
  const tracer = trace ? setInterval(() => process.stderr.write(`${((performance.now() - t0) / 1000).toFixed(0)} s: ${describe()}\n`), 2_000) : undefined;
  const fixture = readFixture('jira', 'issue_updated_status.json');
  const prefix = randomBytes(4).toString('hex');
  let sent = 0;
  const signed = () => {
    const body = fixture.replaceAll('"TES-41"', `"TES-${200_000 + sent}"`);
    return { body, headers: vendorHeaders('jira', SECRETS.JIRA_SECRET, body, { deliveryId: `${prefix}-${sent++}` }) };
  };
  const figures: Record<string, number | string> = {};
  const attackers = new Set<Socket>();
  let running = true;
  let reopened = 0;
  let reopenedBodies = 0;
  try {
    for (let i = 0; i < 50; i++) {
      const d = signed();
      await once(server.port, 'POST', '/webhooks/jira', d.body, d.headers);
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const rssBefore = rssMb(pid);
    const describeStart = describe();

    const chunk = 'a'.repeat(64 * 1024);
    const open = (kind: 'body' | 'header') => {
      if (!running) return;
      const socket = connect(server.port, '127.0.0.1');
      attackers.add(socket);
      socket.on('error', () => {});
      socket.on('data', () => {});
      let timer: NodeJS.Timeout | undefined;
      socket.once('connect', () => {
        if (kind === 'body') socket.write(`POST /webhooks/jira HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${1024 * 1024}\r\n\r\n${chunk}`);
        else socket.write('POST /webhooks/jira HTTP/1.1\r\nHost: x\r\n');
        timer = setInterval(() => socket.write(kind === 'body' ? 'a' : 'X'), 1_000);
      });
      socket.once('close', () => {
        clearInterval(timer);
        attackers.delete(socket);
        if (running) {
          reopened += 1;
          if (kind === 'body') reopenedBodies += 1;
          setTimeout(() => open(kind), 1_000);
        }
      });
    };
    for (let i = 0; i < SLOW_BODY; i++) open('body');
    for (let i = 0; i < SLOW_HEADER; i++) open('header');

    const latencies: number[] = [];
    let refused = 0;
    let healthOk = 0;
    let healthAsked = 0;
    let peakRss = rssBefore;
    let peakFiles = 0;
    const until = performance.now() + seconds * 1_000;
    // The normal client goes on after the attack (a bot always has some traffic); its figures count the attack only.
    let normal = true;
    const afterLatencies: number[] = [];
    const webhooks = (async () => {
      while (normal) {
        const attacking = performance.now() < until;
        const d = signed();
        const res = await once(server.port, 'POST', '/webhooks/jira', d.body, d.headers);
        if (!attacking) {
          if (res.status === 202) afterLatencies.push(res.ms);
        } else if (res.status === 202) latencies.push(res.ms);
        else refused += 1;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    const health = (async () => {
      while (normal) {
        const attacking = performance.now() < until;
        if (attacking) healthAsked += 1;
        if ((await once(server.port, 'GET', '/healthz', '', {})).status === 200 && attacking) healthOk += 1;
        if (attacking) {
          peakRss = Math.max(peakRss, rssMb(pid));
          peakFiles = Math.max(peakFiles, openFiles(pid));
        }
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    })();
    while (performance.now() < until) await new Promise((resolve) => setTimeout(resolve, 100));
    running = false;
    const stillOpen = attackers.size;
    for (const socket of attackers) socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    const rssAfter10 = rssMb(pid);
    peakRss = Math.max(peakRss, rssAfter10);
    const describeAfter10 = describe();
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, SETTLE_S - 10) * 1_000));
    const rssAfter60 = rssMb(pid);
    const describeAfter60 = describe();
    normal = false;
    await Promise.all([webhooks, health]);

    latencies.sort((a, b) => a - b);
    figures[`attack: ${SLOW_BODY} slow-body + ${SLOW_HEADER} slow-header connections held for, s`] = seconds;
    figures['attack: connections the server closed (reopened by the attacker)'] = reopened;
    figures['attack: of them slow-body connections (each sends its first 64 KB again)'] = reopenedBodies;
    figures['attack: attacker connections open at the end'] = stillOpen;
    figures['signed webhooks answered 202'] = latencies.length;
    figures['signed webhooks not answered 202'] = refused;
    figures['signed webhooks answered within 1 s'] = latencies.filter((ms) => ms <= 1_000).length;
    figures['signed webhook latency p50, ms'] = Math.round(latencies[Math.floor(latencies.length * 0.5)] ?? -1);
    figures['signed webhook latency p95, ms'] = Math.round(latencies[Math.floor(latencies.length * 0.95)] ?? -1);
    figures['signed webhook latency max, ms'] = Math.round(latencies.at(-1) ?? -1);
    figures['healthz answered 200 / asked'] = `${healthOk} / ${healthAsked}`;
    figures['server open files at the peak (limit 1,024)'] = peakFiles;
    figures['signed webhooks after the attack: answered 202, max latency ms'] = `${afterLatencies.length}, ${Math.round(Math.max(...afterLatencies, -1))}`;
    figures['(start: RSS once the server is up, warmed by 50 signed webhooks, after 1 s idle; after: the attack has ended, the normal client goes on)'] = '';
    figures['server RSS at start, MB'] = rssBefore;
    figures['server RSS at the peak, MB'] = peakRss;
    figures['server RSS 10 s after the attack, MB'] = rssAfter10;
    figures['server RSS 60 s after the attack, MB'] = rssAfter60;
    figures['server RSS after 10 s / start'] = Number((rssAfter10 / rssBefore).toFixed(2));
    figures['server RSS after 60 s / start'] = Number((rssAfter60 / rssBefore).toFixed(2));
    figures['server memory at start'] = describeStart;
    figures['server memory 10 s after'] = describeAfter10;
    figures['server memory 60 s after'] = describeAfter60;
    return figures;
  } finally {
    clearInterval(tracer);
    running = false;
    for (const socket of attackers) socket.destroy();
    server.child.kill('SIGTERM');
    await server.exited;
    rmSync(dir, { recursive: true, force: true });
  }
}
