/**
 * The server's edge is bounded (issue 21): headers and the whole request must arrive within the
 * timeouts, connections beyond the cap evict the longest-stalled one (so a client sending a whole
 * request still gets in; connections with no body arriving go first), and bodies buffered across
 * requests are capped with 503 + Retry-After (the refused connection is not closed: its sender
 * would come back with its first bytes at once), except for a body arriving whole, which closes
 * the stalled ones to get in.
 * Small limits here; `npm run bench edge` runs the full load (1,000 + 1,000 connections).
 */
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpServer } from '../../src/http/server.ts';
import type { FlowNudgeHttpServer } from '../../src/route/route.ts';

const quiet = { error() {} };
let server: FlowNudgeHttpServer | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await server?.close({ graceMs: 0 });
  server = undefined;
});

async function start(options: Parameters<typeof createHttpServer>[0]): Promise<string> {
  server = createHttpServer(options);
  server.addRoute('GET', '/healthz', async () => ({ status: 200, body: { ok: true } }));
  server.addRoute('POST', '/echo', async (request) => ({ status: 202, body: { bytes: request.rawBody.length } }));
  const port = await server.listen(0, '127.0.0.1');
  return `http://127.0.0.1:${port}`;
}

/**
 * A raw connection that has sent `text`; resolves once connected. `closed` resolves with what the
 * server sent, when it closes; `answered` with the first bytes it sent.
 */
async function stalled(url: string, text: string): Promise<{ socket: Socket; closed: Promise<string>; answered: Promise<string> }> {
  const { port } = new URL(url);
  const socket = connect(Number(port), '127.0.0.1');
  sockets.push(socket);
  let received = '';
  socket.on('data', (chunk) => (received += chunk.toString('latin1')));
  socket.on('error', () => {});
  const closed = new Promise<string>((resolve) => socket.once('close', () => resolve(received)));
  const answered = new Promise<string>((resolve) => {
    socket.once('data', () => setTimeout(() => resolve(received), 20));
    socket.once('close', () => resolve(received));
  });
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.write(text);
  return { socket, closed, answered };
}

const within = <T>(promise: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms))]);

describe('bounded edge', () => {
  it('closes a connection whose headers do not arrive in time, and one whose body stalls', async () => {
    const url = await start({ log: quiet, headersTimeoutMs: 300, requestTimeoutMs: 600 });
    const slowHeaders = await stalled(url, 'POST /echo HTTP/1.1\r\nHost: x\r\n');
    const slowBody = await stalled(url, 'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n0123456789');
    // Node's default would keep both for 300 s.
    expect(await within(slowHeaders.closed, 5_000, 'closing the slow-header connection')).toMatch(/^(HTTP\/1\.1 408|)/);
    expect(await within(slowBody.closed, 5_000, 'closing the slow-body connection')).toMatch(/^(HTTP\/1\.1 408|)/);
  });

  it('beyond the connection cap, the longest-stalled connection makes room: healthz and a whole request still answer', async () => {
    const url = await start({ log: quiet, maxConnections: 20 });
    const held = [];
    for (let i = 0; i < 30; i++) held.push(await stalled(url, `GET /healthz HTTP/1.1\r\nHost: stalled-${i}\r\n`));
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    const posted = await fetch(`${url}/echo`, { method: 'POST', body: 'x'.repeat(2048) });
    expect(posted.status).toBe(202);
    expect(await posted.json()).toEqual({ bytes: 2048 });
    // The oldest stalled ones were closed to make room (30 + healthz + post over a cap of 20): at least 12, the first first.
    const closedByServer: number[] = [];
    held.forEach((c, i) => void c.closed.then(() => closedByServer.push(i)));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(closedByServer.length).toBeGreaterThanOrEqual(12);
    expect(Math.min(...closedByServer)).toBe(0);
  });

  it('caps the bytes buffered across requests: past it 503 with Retry-After; the budget comes back once they end', async () => {
    const url = await start({ log: quiet, maxBufferedBytes: 100 * 1024 });
    const part = 'a'.repeat(40 * 1024);
    const first = await stalled(url, `POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: ${200 * 1024}\r\n\r\n${part}`);
    const second = await stalled(url, `POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: ${200 * 1024}\r\n\r\n${part}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const third = await stalled(url, `POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: ${200 * 1024}\r\n\r\n${part}`);
    const answer = await within(third.answered, 5_000, 'the 503 answer');
    expect(answer).toMatch(/^HTTP\/1\.1 503/);
    expect(answer.toLowerCase()).toContain('retry-after: 5');
    // answered, not closed: the rest of its body is discarded until the request timeout
    expect(third.socket.destroyed).toBe(false);
    first.socket.destroy();
    second.socket.destroy();
    await Promise.all([first.closed, second.closed]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const ok = await fetch(`${url}/echo`, { method: 'POST', body: 'b'.repeat(90 * 1024) });
    expect(ok.status).toBe(202);
  });

  it('a body arriving whole gets in past a budget full of stalled bodies: the one stalled longest is closed', async () => {
    const url = await start({ log: quiet, maxBufferedBytes: 100 * 1024 });
    const part = 'a'.repeat(40 * 1024);
    const first = await stalled(url, `POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: ${200 * 1024}\r\n\r\n${part}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = await stalled(url, `POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: ${200 * 1024}\r\n\r\n${part}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    // a webhook: headers and body in one write
    const whole = await stalled(url, `POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: ${30 * 1024}\r\n\r\n${'w'.repeat(30 * 1024)}`);
    const answer = await within(whole.answered, 1_000, 'the answer to the whole request');
    expect(answer).toMatch(/^HTTP\/1\.1 202/);
    expect(answer).toContain(`{"bytes":${30 * 1024}}`);
    expect(await within(first.closed, 1_000, 'closing the longest-stalled body')).toBe('');
    expect(second.socket.destroyed).toBe(false);
  });

  it('beyond the connection cap, a connection whose body is arriving is kept while others have waited for their headers', async () => {
    const url = await start({ log: quiet, maxConnections: 10 });
    const body = await stalled(url, `POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n0123456789`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const headers = [];
    for (let i = 0; i < 9; i++) headers.push(await stalled(url, `POST /echo HTTP/1.1\r\nHost: stalled-${i}\r\n`));
    await new Promise((resolve) => setTimeout(resolve, 150));
    // the body sender is the oldest, but the ones waiting for their headers make room first
    for (let i = 0; i < 5; i++) await stalled(url, `POST /echo HTTP/1.1\r\nHost: later-${i}\r\n`);
    const health = await stalled(url, 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(await within(health.closed, 1_000, 'the healthz answer')).toMatch(/^HTTP\/1\.1 200/);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(body.socket.destroyed).toBe(false);
    expect(headers.filter((c) => c.socket.destroyed).length).toBe(6);
  });

  it('when every connection is being answered, one more gets 503 with Retry-After at once', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const url = await start({ log: quiet, maxConnections: 2 });
    server!.addRoute('POST', '/slow-answer', async () => {
      await held;
      return { status: 200, body: { ok: true } };
    });
    const busy = [fetch(`${url}/slow-answer`, { method: 'POST', body: '{}' }), fetch(`${url}/slow-answer`, { method: 'POST', body: '{}' })];
    await new Promise((resolve) => setTimeout(resolve, 100));
    const third = await stalled(url, 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    const answer = await within(third.closed, 5_000, 'the 503 answer');
    expect(answer).toMatch(/^HTTP\/1\.1 503/);
    expect(answer).toContain('Retry-After: 5');
    release();
    expect((await Promise.all(busy)).map((r) => r.status)).toEqual([200, 200]);
  });
});

describe('bounded edge: the memory request bodies leave', () => {
  /** a server whose collections are recorded instead of run */
  async function recording(options: Omit<Parameters<typeof createHttpServer>[0], 'log' | 'memory'>, memory: { collectEveryBytes?: number; settleMs?: number }) {
    const collections: string[] = [];
    const url = await start({ log: quiet, ...options, memory: { ...memory, collect: { young: () => collections.push('young'), full: () => collections.push('full') } } });
    return { url, collections };
  }

  it('collects the young generation every N bytes of bodies read, kept or discarded (a 404, a refused body)', async () => {
    const { url, collections } = await recording({ maxBufferedBytes: 64 * 1024 }, { collectEveryBytes: 60 * 1024 });
    expect((await fetch(`${url}/echo`, { method: 'POST', body: 'a'.repeat(50 * 1024) })).status).toBe(202);
    expect(collections).toEqual([]);
    // discarded bodies count too: Node copied every read of them all the same
    expect((await fetch(`${url}/nowhere`, { method: 'POST', body: 'b'.repeat(20 * 1024) })).status).toBe(404);
    expect(collections).toEqual(['young']);
    const refused = await stalled(url, `POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: ${300 * 1024}\r\n\r\n${'c'.repeat(70 * 1024)}`);
    expect(await within(refused.answered, 2_000, 'the 503 answer')).toMatch(/^HTTP\/1\.1 503/);
    refused.socket.write('d'.repeat(200 * 1024));
    await new Promise((resolve) => setTimeout(resolve, 200));
    // 270 KB more read (each count starts after the read that crossed 60 KB)
    expect(collections.length).toBeGreaterThanOrEqual(3);
    expect(new Set(collections)).toEqual(new Set(['young']));
  });

  it('a full collection for bodies kept, then dropped unfinished, and once a surge of shed connections is over', async () => {
    const { url, collections } = await recording({ maxConnections: 3 }, { collectEveryBytes: 16 * 1024, settleMs: 300 });
    // 4 × 16 KB kept, then the client goes away: those copies are old by now, a young collection would not free them
    const dropped = await stalled(url, `POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: ${200 * 1024}\r\n\r\n${'a'.repeat(70 * 1024)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    collections.length = 0;
    dropped.socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(collections).toEqual(['full']);
    collections.length = 0;
    // a surge: 6 stalled connections over a cap of 3; the full collection waits until 300 ms after the last one is shed
    for (let i = 0; i < 6; i++) {
      await stalled(url, `GET /healthz HTTP/1.1\r\nHost: stalled-${i}\r\n`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(collections).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(collections).toEqual(['full']);
  });
});
