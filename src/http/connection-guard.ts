/**
 * Bounds on what the HTTP server holds for clients, so that stalled or slow
 * connections cannot crowd out the vendors' webhooks:
 * - at most `maxConnections` open connections. One more evicts the connection
 *   that has waited longest without a request being handled (waiting for
 *   headers, a body still arriving, or idle keep-alive), so a client that sends
 *   a whole request always gets in; when every connection is busy being
 *   answered, the new one gets 503 with Retry-After at once.
 * - at most `maxBufferedBytes` of request bodies buffered across all requests;
 *   a body that would go past it is answered 503 with Retry-After.
 * Header and request timeouts (a whole request within seconds) are set on the
 * server itself (src/http/server.ts).
 *
 * Memory under a slow-body attack (npm run bench edge): Node's HTTP parser copies each
 * read of a body (up to 64 KB) into a Buffer that glibc malloc serves from its main heap,
 * and that heap does not shrink once a surge of them is freed. What bounds it is how many
 * such copies the server makes and keeps: a small shared budget (4 MB: four whole 1 MB
 * bodies; a whole request always gets in, so webhooks never wait for it), refused bodies
 * answered 503 but not closed (their sender would reconnect at once and send its first
 * 64 KB again), and connections with no body arriving closed first when room is needed.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import { HttpError } from '../route/http-error.ts';

export const DEFAULT_MAX_CONNECTIONS = 900;
/** Four whole bodies of the 1 MB limit at once; webhooks send a few KB. */
export const DEFAULT_MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
/** What a refused client is told to wait, in seconds. */
export const BUSY_RETRY_AFTER_S = 5;

type State = 'waiting' | 'reading' | 'handling' | 'idle';

export interface ConnectionGuard {
  /** the request's body is complete: its connection is being answered, not evictable */
  handling(req: IncomingMessage): void;
  /**
   * reserves `bytes` of the shared body budget for `req`; beyond it, a chunk that completes
   * its body (`completes`) makes room by closing the bodies that have been arriving longest,
   * otherwise (or when that is not enough) throws 503
   */
  reserve(req: IncomingMessage, bytes: number, completes?: boolean): void;
  /** open connections now, by state (for tests and health) */
  counts(): Record<State, number>;
}

export function guardConnections(server: Server, options: { maxConnections?: number; maxBufferedBytes?: number } = {}): ConnectionGuard {
  const maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  const maxBuffered = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
  const open = new Map<Socket, { state: State; since: number }>();
  const reserved = new Map<IncomingMessage, number>();
  let buffered = 0;

  server.on('connection', (socket: Socket) => {
    open.set(socket, { state: 'waiting', since: performance.now() });
    socket.once('close', () => {
      open.delete(socket);
    });
    if (open.size <= maxConnections) return;
    // The connection stalled longest makes room; first one with no body arriving (waiting for
    // headers, or idle) for over 100 ms: its sender costs nothing to keep out, while a closed
    // body sender comes back and sends its first 64 KB again (a fresh copy the server must read).
    const stalledFor = performance.now() - 100;
    let victim: Socket | null = null;
    let oldest = Infinity;
    let victimCheap = false;
    for (const [other, entry] of open) {
      if (other === socket || entry.state === 'handling') continue;
      const cheap = entry.state !== 'reading' && entry.since < stalledFor;
      if ((cheap && !victimCheap) || (cheap === victimCheap && entry.since < oldest)) {
        oldest = entry.since;
        victim = other;
        victimCheap = cheap;
      }
    }
    if (victim) {
      open.delete(victim);
      victim.destroy();
      return;
    }
    open.delete(socket);
    const body = JSON.stringify({ error: `flow-nudge is answering ${maxConnections} connections; retry in ${BUSY_RETRY_AFTER_S} s` });
    socket.end(
      `HTTP/1.1 503 Service Unavailable\r\nRetry-After: ${BUSY_RETRY_AFTER_S}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  });

  server.on('request', (req: IncomingMessage, res) => {
    const entry = open.get(req.socket);
    if (entry) Object.assign(entry, { state: 'reading', since: performance.now() });
    const release = () => {
      const bytes = reserved.get(req);
      if (bytes === undefined) return;
      reserved.delete(req);
      buffered -= bytes;
    };
    req.once('close', release);
    res.once('close', release);
    const toIdle = () => {
      const current = open.get(req.socket);
      if (current) Object.assign(current, { state: 'idle', since: performance.now() });
    };
    res.once('finish', () => {
      release();
      // answered before its body arrived (503, 413): still 'reading' until the rest is discarded or the request times out
      if (req.complete) toIdle();
      else req.once('end', toIdle);
    });
  });

  return {
    handling(req) {
      const entry = open.get(req.socket);
      if (entry) entry.state = 'handling';
    },
    reserve(req, bytes, completes = false) {
      if (buffered + bytes > maxBuffered && completes) {
        // a whole request gets in: the bodies that have been arriving longest are closed to make room
        const readers = [...reserved.keys()].filter((other) => other !== req && !other.complete).sort((a, b) => (open.get(a.socket)?.since ?? 0) - (open.get(b.socket)?.since ?? 0));
        for (const other of readers) {
          if (buffered + bytes <= maxBuffered) break;
          buffered -= reserved.get(other) ?? 0;
          reserved.delete(other);
          open.delete(other.socket);
          other.socket.destroy();
        }
      }
      if (buffered + bytes > maxBuffered) {
        // Answered at once; the connection is not closed: the rest of its body is discarded as it
        // comes, until the request timeout. A stalled sender that were closed would reconnect at once
        // and make the server read (and copy) its first 64 KB again, each time.
        throw new HttpError(503, `flow-nudge is holding ${Math.round(buffered / 1024 / 1024)} MB of request bodies; retry in ${BUSY_RETRY_AFTER_S} s`, {
          'retry-after': String(BUSY_RETRY_AFTER_S),
        });
      }
      buffered += bytes;
      reserved.set(req, (reserved.get(req) ?? 0) + bytes);
    },
    counts() {
      const counts: Record<State, number> = { waiting: 0, reading: 0, handling: 0, idle: 0 };
      for (const entry of open.values()) counts[entry.state] += 1;
      return counts;
    },
  };
}
