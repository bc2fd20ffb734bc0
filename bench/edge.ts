/**
 * The server's edge under hostile load (issue 21): the server runs in its own process with a
 * 1,024 open-file limit (and --expose-gc, as the launcher runs it); this process holds 1,000
 * slow-body connections (64 KB of a 1 MB body, then a byte a second) and 1,000 slow-header
 * connections (a header byte a second), reopening each one the server closes a second later,
 * for `--seconds=N` (default 20). Meanwhile a normal client sends a signed Jira webhook every
 * 100 ms on a fresh connection and asks /healthz every 500 ms.
 * Figures: how fast the signed deliveries were answered, healthz answers, the server's open
 * files, and its RSS before, at the peak and after.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChildServer } from '../test/http/support/child-server.ts';
import { SECRETS } from '../test/http/support/test-server.ts';
import { readFixture, vendorHeaders } from '../test/trackers/support/vendor-requests.ts';

const SLOW_BODY = 1_000;
const SLOW_HEADER = 1_000;

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : 0;
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
  const seconds = Number(process.argv.find((a) => a.startsWith('--seconds='))?.slice(10) ?? 20);
  const dir = mkdtempSync(join(tmpdir(), 'flow-nudge-bench-edge-'));
  const server = await startChildServer({ DATABASE_URL: `file:${join(dir, 'edge.db')}` }, { fileLimit: 1024, exposeGc: true });
  const pid = server.child.pid!;
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
  try {
    for (let i = 0; i < 50; i++) {
      const d = signed();
      await once(server.port, 'POST', '/webhooks/jira', d.body, d.headers);
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const rssBefore = rssMb(pid);
    figures['server RSS before, MB'] = rssBefore;

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
    const webhooks = (async () => {
      while (performance.now() < until) {
        const d = signed();
        const res = await once(server.port, 'POST', '/webhooks/jira', d.body, d.headers);
        if (res.status === 202) latencies.push(res.ms);
        else refused += 1;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    const health = (async () => {
      while (performance.now() < until) {
        healthAsked += 1;
        if ((await once(server.port, 'GET', '/healthz', '', {})).status === 200) healthOk += 1;
        peakRss = Math.max(peakRss, rssMb(pid));
        peakFiles = Math.max(peakFiles, openFiles(pid));
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    })();
    await Promise.all([webhooks, health]);
    running = false;
    const stillOpen = attackers.size;
    for (const socket of attackers) socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const rssAfter = rssMb(pid);

    latencies.sort((a, b) => a - b);
    figures[`attack: ${SLOW_BODY} slow-body + ${SLOW_HEADER} slow-header connections held for, s`] = seconds;
    figures['attack: connections the server closed (reopened by the attacker)'] = reopened;
    figures['attack: attacker connections open at the end'] = stillOpen;
    figures['signed webhooks answered 202'] = latencies.length;
    figures['signed webhooks not answered 202'] = refused;
    figures['signed webhooks answered within 1 s'] = latencies.filter((ms) => ms <= 1_000).length;
    figures['signed webhook latency p50, ms'] = Math.round(latencies[Math.floor(latencies.length * 0.5)] ?? -1);
    figures['signed webhook latency p95, ms'] = Math.round(latencies[Math.floor(latencies.length * 0.95)] ?? -1);
    figures['signed webhook latency max, ms'] = Math.round(latencies.at(-1) ?? -1);
    figures['healthz answered 200 / asked'] = `${healthOk} / ${healthAsked}`;
    figures['server open files at the peak (limit 1,024)'] = peakFiles;
    figures['server RSS at the peak, MB'] = peakRss;
    figures['server RSS 5 s after the attack, MB'] = rssAfter;
    figures['server RSS after / before'] = Number((rssAfter / rssBefore).toFixed(2));
    return figures;
  } finally {
    running = false;
    for (const socket of attackers) socket.destroy();
    server.child.kill('SIGTERM');
    await server.exited;
    rmSync(dir, { recursive: true, force: true });
  }
}
