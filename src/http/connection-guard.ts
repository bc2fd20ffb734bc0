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
 * What decides how far it grows is how long the copies live once dropped: V8 frees a Buffer's
 * memory only when it collects the Buffer, and it lets up to ~64 MB of such outside memory pile
 * up before it does. So every `collectEveryBytes` (4 MB) of bodies read (kept or discarded) the
 * guard runs a young-generation collection, which frees the dropped copies while they are a few
 * MB; every 16 MB of bodies kept, then dropped unfinished (old by then), a full one (at most one
 * per 5 s); and once a surge of shed connections is over (none for `settleMs`, 5 s), one full
 * collection gives back the V8 heap the surge's connections grew (src/jobs/release-memory.ts;
 * both need --expose-gc, which the launcher passes).
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import { HttpError } from '../route/http-error.ts';
import { releaseMemory, releaseYoungMemory } from '../jobs/release-memory.ts';

export const DEFAULT_MAX_CONNECTIONS = 900;
/** Four whole bodies of the 1 MB limit at once; webhooks send a few KB. */
export const DEFAULT_MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
/** What a refused client is told to wait, in seconds. */
export const BUSY_RETRY_AFTER_S = 5;
/** Bytes of request bodies read between two young-generation collections. */
export const DEFAULT_COLLECT_EVERY_BYTES = 4 * 1024 * 1024;
/** A full collection for this many young ones' worth of bodies dropped unfinished (16 MB by default): a full one takes tens of ms. */
const FULL_COLLECTION_EVERY = 4;
/** At most one full collection for dropped bodies in this many ms, so an attack does not keep the server collecting. */
const FULL_COLLECTION_GAP_MS = 5_000;
/** How long after the last shed connection a surge counts as over (then one full collection). */
export const DEFAULT_SETTLE_MS = 5_000;

export interface GuardOptions {
  maxConnections?: number;
  maxBufferedBytes?: number;
  /** bytes of bodies read between two young-generation collections; default 4 MB */
  collectEveryBytes?: number;
  /** quiet time after shedding before the full collection; default 5 s */
  settleMs?: number;
  /** the collections (default src/jobs/release-memory.ts; no-ops without --expose-gc) */
  collect?: { young(): void; full(): void };
}

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
  /** `bytes` of a request body were read (kept or discarded): counts toward the next young collection */
  read(bytes: number): void;
  /** open connections now, by state (for tests and health) */
  counts(): Record<State, number>;
}

export function guardConnections(server: Server, options: GuardOptions = {}): ConnectionGuard {
  const maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  const maxBuffered = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
  const collectEvery = options.collectEveryBytes ?? DEFAULT_COLLECT_EVERY_BYTES;
  const collect = options.collect ?? { young: releaseYoungMemory, full: releaseMemory };
  let readSinceCollection = 0;
  let abandonedSinceCollection = 0;
  let fullAt = -Infinity;
  /**
   * a body that was kept for a while, then dropped unfinished (timed out, closed, or closed to make
   * room): its copies outlived young collections, so only a full one frees them
   */
  const abandoned = (bytes: number) => {
    abandonedSinceCollection += bytes;
    if (abandonedSinceCollection < collectEvery * FULL_COLLECTION_EVERY || performance.now() - fullAt < FULL_COLLECTION_GAP_MS) return;
    abandonedSinceCollection = 0;
    fullAt = performance.now();
    collect.full();
  };
  const settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
  // re-armed by each shed connection; fires once the surge is over
  let settling: NodeJS.Timeout | undefined;
  const shed = () => {
    if (settling) {
      settling.refresh();
      return;
    }
    settling = setTimeout(() => {
      settling = undefined;
      collect.full();
    }, settleMs).unref();
  };
  server.once('close', () => clearTimeout(settling));
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
    shed();
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
      if (!req.complete) abandoned(bytes);
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
      if (buffered + bytes > maxBuffered) shed();
      if (buffered + bytes > maxBuffered && completes) {
        // a whole request gets in: the bodies that have been arriving longest are closed to make room
        const readers = [...reserved.keys()].filter((other) => other !== req && !other.complete).sort((a, b) => (open.get(a.socket)?.since ?? 0) - (open.get(b.socket)?.since ?? 0));
        for (const other of readers) {
          if (buffered + bytes <= maxBuffered) break;
          const held = reserved.get(other) ?? 0;
          buffered -= held;
          reserved.delete(other);
          open.delete(other.socket);
          other.socket.destroy();
          abandoned(held);
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
    read(bytes) {
      readSinceCollection += bytes;
      if (readSinceCollection < collectEvery) return;
      readSinceCollection = 0;
      collect.young();
    },
    counts() {
      const counts: Record<State, number> = { waiting: 0, reading: 0, handling: 0, idle: 0 };
      for (const entry of open.values()) counts[entry.state] += 1;
      return counts;
    },
  };
}
