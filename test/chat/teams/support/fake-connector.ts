/**
 * A local stand-in for the Bot Framework connector (the Activity's serviceUrl) on 127.0.0.1:
 * records every call, answers like the connector does, and can answer 429 / 403 on demand.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ConnectorCall {
  method: string;
  /** decoded (the SDK sends `19:…@thread.tacv2` unescaped; other clients may escape it) */
  path: string;
  body: any;
  authorization: string | undefined;
  /** the status the fake answered */
  status: number;
}

export interface FakeConnector {
  /** with the trailing slash, as Teams sends it */
  serviceUrl: string;
  calls: ConnectorCall[];
  /** successful calls whose path matches */
  sent(path: RegExp): ConnectorCall[];
  /** resolves with the first successful call matching `path` (and `where`), waiting up to `timeoutMs` */
  waitFor(path: RegExp, where?: (call: ConnectorCall) => boolean, timeoutMs?: number): Promise<ConnectorCall>;
  /** the next `times` calls whose path matches (after `after` that pass) get `status` (429 with Retry-After: `retryAfter` s) */
  failNext(path: RegExp, status: number, times?: number, retryAfter?: number, after?: number): void;
  close(): Promise<void>;
}

/** `maxActivityBytes`: answer 413 MessageSizeTooBig to a posted activity above this size, as Teams does (about 100 KB). */
export async function startFakeConnector(options: { maxActivityBytes?: number } = {}): Promise<FakeConnector> {
  const calls: ConnectorCall[] = [];
  const failures: { path: RegExp; status: number; left: number; retryAfter?: number; after: number }[] = [];
  const waiters: { path: RegExp; where: (c: ConnectorCall) => boolean; resolve: (c: ConnectorCall) => void }[] = [];
  let conversations = 0;
  let messages = 0;

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const path = decodeURIComponent((req.url ?? '/').split('?')[0]!);
      const call: ConnectorCall = { method: req.method ?? 'GET', path, body: text ? JSON.parse(text) : null, authorization: req.headers.authorization, status: 200 };
      if (options.maxActivityBytes !== undefined && call.method === 'POST' && Buffer.byteLength(text) > options.maxActivityBytes) {
        call.status = 413;
        calls.push(call);
        res.writeHead(413, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'MessageSizeTooBig', message: 'Activity body too large' } }));
        return;
      }
      const failure = failures.find((f) => f.left > 0 && f.path.test(path) && (f.after-- <= 0));
      if (failure) {
        failure.left--;
        call.status = failure.status;
        calls.push(call);
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (failure.retryAfter !== undefined) headers['retry-after'] = String(failure.retryAfter);
        res.writeHead(failure.status, headers);
        res.end(JSON.stringify({ error: { code: failure.status === 403 ? 'BotDisabledByAdmin' : 'Throttled', message: 'fake connector failure' } }));
        return;
      }
      calls.push(call);
      let answer: object = {};
      if (call.method === 'POST' && path === '/v3/conversations') answer = { id: `a:fake-conversation-${++conversations}`, serviceUrl: `http://127.0.0.1:${port}/` };
      else if (/^\/v3\/conversations\/[^/]+\/activities/.test(path)) answer = { id: `m-${++messages}` };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer));
      for (const w of [...waiters]) {
        if (w.path.test(path) && w.where(call)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(call);
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const ok = (path: RegExp) => calls.filter((c) => c.status === 200 && path.test(c.path));
  return {
    serviceUrl: `http://127.0.0.1:${port}/`,
    calls,
    sent: ok,
    waitFor(path, where = () => true, timeoutMs = 10_000) {
      const done = ok(path).find(where);
      if (done) return Promise.resolve(done);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`fake connector: no call to ${path} within ${timeoutMs} ms; got ${calls.map((c) => `${c.method} ${c.path} ${c.status}`).join(', ') || 'nothing'}`)), timeoutMs);
        waiters.push({ path, where, resolve: (c) => {
          clearTimeout(timer);
          resolve(c);
        } });
      });
    },
    failNext(path, status, times = 1, retryAfter, after = 0) {
      failures.push({ path, status, left: times, after, ...(retryAfter !== undefined ? { retryAfter } : {}) });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
