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
 * server itself (src/http/server.ts). When a surge of connections or buffered
 * bodies has passed, one full garbage collection gives the memory back
 * (releaseMemory: with the launcher's --expose-gc), so RSS returns to its level.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import { HttpError } from '../route/http-error.ts';
import { releaseMemory } from '../jobs/release-memory.ts';

export const DEFAULT_MAX_CONNECTIONS = 900;
export const DEFAULT_MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
/** What a refused client is told to wait, in seconds. */
export const BUSY_RETRY_AFTER_S = 5;

type State = 'waiting' | 'reading' | 'handling' | 'idle';

export interface ConnectionGuard {
  /** the request's body is complete: its connection is being answered, not evictable */
  handling(req: IncomingMessage): void;
  /** reserves `bytes` of the shared body budget for `req`; throws 503 beyond it */
  reserve(req: IncomingMessage, bytes: number): void;
  /** open connections now, by state (for tests and health) */
  counts(): Record<State, number>;
}

export function guardConnections(server: Server, options: { maxConnections?: number; maxBufferedBytes?: number } = {}): ConnectionGuard {
  const maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  const maxBuffered = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
  const open = new Map<Socket, { state: State; since: number }>();
  const reserved = new Map<IncomingMessage, number>();
  let buffered = 0;
  /** a surge happened (over half the connections, or a quarter of the body budget) and has not been collected yet */
  let surged = false;
  let collectTimer: NodeJS.Timeout | null = null;
  const noteLoad = () => {
    if (open.size > maxConnections / 2 || buffered > maxBuffered / 4) surged = true;
    else if (surged && open.size < maxConnections / 10 && buffered < maxBuffered / 16 && !collectTimer) {
      collectTimer = setTimeout(() => {
        collectTimer = null;
        if (open.size >= maxConnections / 10) return;
        surged = false;
        releaseMemory();
      }, 1_000);
      collectTimer.unref();
    }
  };

  server.on('connection', (socket: Socket) => {
    open.set(socket, { state: 'waiting', since: performance.now() });
    socket.once('close', () => {
      open.delete(socket);
      noteLoad();
    });
    noteLoad();
    if (open.size <= maxConnections) return;
    let victim: Socket | null = null;
    let oldest = Infinity;
    for (const [other, entry] of open) {
      if (other === socket || entry.state === 'handling') continue;
      if (entry.since < oldest) {
        oldest = entry.since;
        victim = other;
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
      noteLoad();
    };
    req.once('close', release);
    res.once('close', release);
    res.once('finish', () => {
      release();
      const current = open.get(req.socket);
      if (current) Object.assign(current, { state: 'idle', since: performance.now() });
    });
  });

  return {
    handling(req) {
      const entry = open.get(req.socket);
      if (entry) entry.state = 'handling';
    },
    reserve(req, bytes) {
      if (buffered + bytes > maxBuffered) {
        throw new HttpError(503, `flow-nudge is holding ${Math.round(buffered / 1024 / 1024)} MB of request bodies; retry in ${BUSY_RETRY_AFTER_S} s`, {
          'retry-after': String(BUSY_RETRY_AFTER_S),
          connection: 'close',
        });
      }
      buffered += bytes;
      reserved.set(req, (reserved.get(req) ?? 0) + bytes);
      noteLoad();
    },
    counts() {
      const counts: Record<State, number> = { waiting: 0, reading: 0, handling: 0, idle: 0 };
      for (const entry of open.values()) counts[entry.state] += 1;
      return counts;
    },
  };
}
