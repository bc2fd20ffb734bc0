/**
 * The one node:http server. Routes are a small table of (method, path) →
 * handler; a handler gets the whole raw body (capped) and returns
 * { status, headers?, body }. Errors become responses here and nowhere else.
 * The edge is bounded: headers within 5 s, the whole request within 10 s,
 * and connections and buffered bodies capped (src/http/connection-guard.ts).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../log/logger.ts';
import { HttpError } from '../route/http-error.ts';
import { isStoreUnavailable, STORE_RETRY_AFTER_S } from '../store/unavailable.ts';
import type { FlowNudgeHttpServer, HttpResponse, RouteHandler } from '../route/route.ts';
import { guardConnections, type ConnectionGuard, type GuardOptions } from './connection-guard.ts';

export interface HttpServerOptions {
  log: Pick<Logger, 'error'>;
  /** bodies above this many bytes get 413; default 1 MB */
  maxBodyBytes?: number;
  /** the request line and headers must arrive within this; default 5 s */
  headersTimeoutMs?: number;
  /** the whole request (headers and body) must arrive within this; default 10 s */
  requestTimeoutMs?: number;
  /** open connections at most; one more evicts the longest-stalled one; default 900 (under a 1,024 file limit) */
  maxConnections?: number;
  /** request bodies buffered at once across all requests; beyond it 503 + Retry-After (a body arriving whole first closes the stalled ones); default 4 MB */
  maxBufferedBytes?: number;
  /** when the edge collects the garbage request bodies leave (src/http/connection-guard.ts); the defaults suit production */
  memory?: Pick<GuardOptions, 'collectEveryBytes' | 'settleMs' | 'collect'>;
}

export const DEFAULT_HEADERS_TIMEOUT_MS = 5_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
/** Connections waiting to be accepted, at most (the kernel's somaxconn caps it; 4,096 on current Linux). */
const LISTEN_BACKLOG = 4_096;
/** How long in-flight requests get to finish when the server closes (SIGTERM). */
export const SHUTDOWN_GRACE_MS = 10_000;

export function createHttpServer(options: HttpServerOptions): FlowNudgeHttpServer {
  const routes = new Map<string, Map<string, RouteHandler>>();
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;

  /** responses not yet finished; on shutdown they get up to the grace period */
  const active = new Set<ServerResponse>();
  let closing = false;

  const requestTimeout = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const server = createServer(
    {
      headersTimeout: Math.min(options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS, requestTimeout),
      requestTimeout,
      // how often Node looks for connections past those timeouts (its default is 30 s)
      connectionsCheckingInterval: Math.max(100, Math.min(1_000, Math.floor(requestTimeout / 4))),
    },
    (req, res) => {
      active.add(res);
      res.once('close', () => active.delete(res));
      handle(req, res).catch((error: unknown) => {
        options.log.error('http: failed to answer', { error: String(error) });
        if (!res.headersSent) send(res, { status: 500, body: { error: 'internal error' } });
        else res.destroy();
      });
    },
  );
  server.keepAliveTimeout = 65_000;
  const guard: ConnectionGuard = guardConnections(server, {
    ...(options.maxConnections !== undefined && { maxConnections: options.maxConnections }),
    ...(options.maxBufferedBytes !== undefined && { maxBufferedBytes: options.maxBufferedBytes }),
    ...options.memory,
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let response: HttpResponse;
    try {
      response = await route(req);
    } catch (error) {
      response = toErrorResponse(error, options.log);
    }
    // Shutting down: answer, then let the client open its next connection elsewhere.
    if (closing) res.setHeader('connection', 'close');
    send(res, response);
  }

  function findHandler(method: string, url: URL): RouteHandler {
    const byMethod = routes.get(url.pathname);
    if (!byMethod) throw new HttpError(404, `no route ${url.pathname}`);
    const handler = byMethod.get(method) ?? (method === 'HEAD' ? byMethod.get('GET') : undefined);
    if (!handler) throw new HttpError(405, `${method} is not allowed on ${url.pathname}; use ${[...byMethod.keys()].join(', ')}`);
    return handler;
  }

  async function route(req: IncomingMessage): Promise<HttpResponse> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    let handler: RouteHandler;
    try {
      handler = findHandler(method, url);
    } catch (error) {
      drain(req, guard);
      throw error;
    }
    const rawBody = await readBody(req, maxBody, guard);
    guard.handling(req);
    const headers: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    return handler({ method, path: url.pathname, url, headers, rawBody });
  }

  return {
    server,
    async request({ method, path, headers = {}, body = '' }) {
      try {
        const url = new URL(path, 'http://localhost');
        const handler = findHandler(method.toUpperCase(), url);
        const rawBody = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
        if (rawBody.length > maxBody) throw new HttpError(413, `body is over the limit of ${maxBody} bytes`);
        const lower: Record<string, string | undefined> = {};
        for (const [name, value] of Object.entries(headers)) lower[name.toLowerCase()] = value;
        return await handler({ method: method.toUpperCase(), path: url.pathname, url, headers: lower, rawBody });
      } catch (error) {
        return toErrorResponse(error, options.log);
      }
    },
    addRoute(method, path, handler) {
      const m = method.toUpperCase();
      const byMethod = routes.get(path) ?? new Map<string, RouteHandler>();
      if (byMethod.has(m)) throw new Error(`route ${m} ${path} is registered twice`);
      byMethod.set(m, handler);
      routes.set(path, byMethod);
    },
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        // Node's backlog of 511 overflows when a few thousand connections arrive at once (an attack
        // the guard sheds): a dropped SYN costs a webhook sender a 1 s retransmit. The kernel caps it (somaxconn).
        server.listen({ port, host, backlog: LISTEN_BACKLOG }, () => {
          server.off('error', reject);
          resolve((server.address() as AddressInfo).port);
        });
      });
    },
    /**
     * Stops accepting connections, answers the requests in flight (their bodies may still be
     * arriving) for up to `graceMs` (default 10 s), then answers any still waiting 503 with
     * Retry-After and closes every connection. Idle keep-alive connections close at once.
     */
    async close(closeOptions = {}) {
      const graceMs = closeOptions.graceMs ?? SHUTDOWN_GRACE_MS;
      closing = true;
      // What reached the port before the signal is taken and read first: connections still in the
      // kernel's queue, or accepted with their bytes unread, would otherwise be dropped as idle.
      await new Promise((resolve) => setImmediate(resolve));
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // a keep-alive connection turns idle once its last answer is out
      const idle = setInterval(() => server.closeIdleConnections(), 50);
      const deadline = setTimeout(() => {
        for (const res of active) {
          if (res.headersSent) continue;
          send(res, { status: 503, headers: { connection: 'close', 'retry-after': '5' }, body: { error: 'flow-nudge is restarting; retry in 5 s' } });
        }
        server.closeAllConnections();
      }, graceMs);
      try {
        await closed;
      } finally {
        clearInterval(idle);
        clearTimeout(deadline);
      }
    },
  };
}

function readBody(req: IncomingMessage, max: number, guard: ConnectionGuard): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > max) {
      drain(req, guard);
      reject(new HttpError(413, `body of ${declared} bytes is over the limit of ${max} bytes`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      guard.read(chunk.length);
      if (failed) return;
      size += chunk.length;
      if (size > max) {
        failed = true;
        reject(new HttpError(413, `body is over the limit of ${max} bytes`));
        return;
      }
      try {
        guard.reserve(req, chunk.length, size === declared);
      } catch (error) {
        failed = true;
        chunks.length = 0;
        reject(error);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks, size));
    });
    req.on('error', (error) => {
      if (!failed) reject(new HttpError(400, `could not read the request body: ${error.message}`));
    });
  });
}

/** Reads and discards the rest of a body (each read still counts: Node copied it). */
function drain(req: IncomingMessage, guard: ConnectionGuard): void {
  req.on('data', (chunk: Buffer) => guard.read(chunk.length));
}

let unavailableLoggedAt = 0;

function toErrorResponse(error: unknown, log: Pick<Logger, 'error'>): HttpResponse {
  if (error instanceof HttpError) return { status: error.status, ...(error.headers && { headers: error.headers }), body: { error: error.message } };
  if (isStoreUnavailable(error)) {
    // A database restart or a dropped connection: the sender retries (vendors do on 503); nothing was committed.
    if (Date.now() - unavailableLoggedAt > 5_000) {
      unavailableLoggedAt = Date.now();
      log.error(`http: the database is unavailable (${error instanceof Error ? error.message : String(error)}); answering 503 with Retry-After: ${STORE_RETRY_AFTER_S}`);
    }
    return {
      status: 503,
      headers: { 'retry-after': String(STORE_RETRY_AFTER_S) },
      body: { error: `the database is unavailable for a moment; retry in ${STORE_RETRY_AFTER_S} s` },
    };
  }
  log.error('http: route failed', { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  return { status: 500, body: { error: 'internal error; see the server log' } };
}

function send(res: ServerResponse, response: HttpResponse): void {
  if (res.headersSent || res.writableEnded) return; // answered 503 at the end of a shutdown's grace period
  const headers: Record<string, string> = { ...response.headers };
  let payload: string | Buffer = '';
  if (Buffer.isBuffer(response.body) || typeof response.body === 'string') {
    payload = response.body;
    headers['content-type'] ??= 'text/plain; charset=utf-8';
  } else if (response.body !== undefined) {
    payload = JSON.stringify(response.body);
    headers['content-type'] ??= 'application/json; charset=utf-8';
  }
  headers['content-length'] = String(Buffer.byteLength(payload));
  res.writeHead(response.status, headers);
  res.end(payload);
}
