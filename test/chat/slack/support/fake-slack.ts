import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQuery } from 'node:querystring';

/** One request the fake Slack Web API received. */
export interface FakeSlackCall {
  /** Web API method (`chat.postMessage`), or `upload` for a file byte upload, or `response_url` */
  method: string;
  /** form fields, JSON body fields; JSON-looking form values are decoded */
  params: Record<string, any>;
  /** the bearer token the call carried, if any */
  token: string | null;
  /** for uploads: the file bytes */
  bytes?: Buffer;
  /** true when the fake answered 429 to this call */
  rateLimited: boolean;
  at: number;
}

export interface FakeSlack {
  /** base for `slackApiUrl`, with the trailing slash: http://127.0.0.1:PORT/api/ */
  apiUrl: string;
  /** a URL a slash command can give as its response_url */
  responseUrl: string;
  calls: FakeSlackCall[];
  /** the successful (not rate-limited) calls to one method */
  callsTo(method: string): FakeSlackCall[];
  /** the next `times` calls to `method` get HTTP 429 with Retry-After: `retryAfterSeconds` */
  rateLimitNext(method: string, retryAfterSeconds: number, times?: number): void;
  /** calls to `method` are recorded on arrival and answered `ms` later (a slow Slack); 0 answers at once */
  answerAfter(method: string, ms: number): void;
  /** the answer to a method (merged over `{ ok: true }`); null goes back to the default */
  answer(method: string, body: Record<string, unknown> | null): void;
  /** resolves when `count` successful calls to `method` matching `where` have arrived */
  waitFor(method: string, where?: (call: FakeSlackCall) => boolean, options?: { count?: number; timeoutMs?: number }): Promise<FakeSlackCall[]>;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function decodeValue(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (/^[[{]/.test(value)) {
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }
  return value;
}

/** Pulls the first file part out of a multipart/form-data body. */
function multipartFile(body: Buffer, contentType: string): Buffer | undefined {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (!boundary) return undefined;
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const start = body.indexOf(delimiter);
  const headerEnd = body.indexOf('\r\n\r\n', start);
  const end = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd);
  if (start < 0 || headerEnd < 0 || end < 0) return undefined;
  return body.subarray(headerEnd + 4, end);
}

let fileCounter = 0;

/**
 * Starts a fake Slack Web API on 127.0.0.1 (ephemeral port). It records every call and answers
 * the methods flow-nudge uses: auth.test, chat.postMessage, chat.postEphemeral, views.open,
 * views.publish, users.info, oauth.v2.access, files.getUploadURLExternal (with an upload_url
 * on this server), the byte upload, files.completeUploadExternal. It can answer 429.
 */
/** `port`: listen on this port (a test that starts the bot before Slack is up); default any free one. */
export async function startFakeSlack(options: { port?: number } = {}): Promise<FakeSlack> {
  const calls: FakeSlackCall[] = [];
  const limits = new Map<string, { retryAfter: number; times: number }>();
  const answers = new Map<string, Record<string, unknown>>();
  const delays = new Map<string, number>();
  const waiters = new Set<() => void>();
  let base = '';

  const defaults = (method: string, params: Record<string, any>): Record<string, unknown> => {
    switch (method) {
      case 'auth.test':
        return { url: 'https://fake.slack.com/', team: 'Fake', user: 'flow', team_id: 'T0FAKE', user_id: 'UBOT', bot_id: 'BBOT' };
      case 'chat.postMessage':
        return { channel: params.channel, ts: `${Date.now() / 1000}`, message: { text: params.text } };
      case 'chat.postEphemeral':
        return { message_ts: `${Date.now() / 1000}` };
      case 'views.open':
      case 'views.publish':
        return { view: { id: `V${++fileCounter}`, ...(params.view ?? {}) } };
      case 'users.info':
        return { user: { id: params.user, tz: 'Europe/Berlin' } };
      case 'users.lookupByEmail':
        return { user: { id: `U-${String(params.email).split('@')[0]!.toUpperCase()}` } };
      case 'conversations.open':
        return { channel: { id: `D-${String(params.users)}` } };
      case 'files.getUploadURLExternal': {
        const id = `F${++fileCounter}`;
        return { file_id: id, upload_url: `${base}upload/${id}` };
      }
      case 'files.completeUploadExternal':
        return { files: (params.files ?? []).map((f: { id: string; title?: string }) => ({ id: f.id, title: f.title })) };
      case 'oauth.v2.access':
        return {
          access_token: 'xoxb-fake-installed-token',
          token_type: 'bot',
          scope: 'commands,chat:write,files:write',
          bot_user_id: 'UBOT2',
          app_id: 'A0FAKE',
          team: { id: 'T0NEW', name: 'New Team' },
          enterprise: null,
          is_enterprise_install: false,
          authed_user: { id: 'UINSTALLER' },
        };
      default:
        return {};
    }
  };

  const server: Server = createServer(async (req, res) => {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const contentType = String(req.headers['content-type'] ?? '');
    const auth = String(req.headers.authorization ?? '');
    const token = auth.startsWith('Bearer ') ? auth.slice(7) : null;
    let method: string;
    let params: Record<string, any> = {};
    let bytes: Buffer | undefined;
    if (url.pathname.startsWith('/upload/')) {
      method = 'upload';
      params = { file_id: url.pathname.slice('/upload/'.length) };
      bytes = contentType.startsWith('multipart/') ? multipartFile(raw, contentType) ?? raw : raw;
    } else if (url.pathname.startsWith('/response/')) {
      method = 'response_url';
      params = JSON.parse(raw.toString('utf8') || '{}');
    } else {
      method = url.pathname.replace(/^\/api\//, '');
      const text = raw.toString('utf8');
      const fields = contentType.includes('json') ? JSON.parse(text || '{}') : parseQuery(text);
      for (const [k, v] of Object.entries(fields)) params[k] = decodeValue(v);
      for (const [k, v] of url.searchParams) params[k] = decodeValue(v);
    }
    const limit = limits.get(method);
    const rateLimited = Boolean(limit && limit.times > 0);
    calls.push({ method, params, token: token ?? (typeof params.token === 'string' ? params.token : null), bytes, rateLimited, at: Date.now() });
    for (const wake of waiters) wake();
    if (rateLimited && limit) {
      limit.times -= 1;
      res.writeHead(429, { 'Retry-After': String(limit.retryAfter), 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
      return;
    }
    const body = { ok: true, ...defaults(method, params), ...(answers.get(method) ?? {}) };
    const delay = delays.get(method) ?? 0;
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    if (res.destroyed) return;
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}/`;

  const fake: FakeSlack = {
    apiUrl: `${base}api/`,
    responseUrl: `${base}response/1`,
    calls,
    callsTo: (method) => calls.filter((c) => c.method === method && !c.rateLimited),
    rateLimitNext(method, retryAfterSeconds, times = 1) {
      limits.set(method, { retryAfter: retryAfterSeconds, times });
    },
    answerAfter(method, ms) {
      delays.set(method, ms);
    },
    answer(method, body) {
      if (body === null) answers.delete(method);
      else answers.set(method, body);
    },
    waitFor(method, where = () => true, { count = 1, timeoutMs = 10_000 } = {}) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = fake.callsTo(method).filter(where);
          if (found.length >= count) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(found);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`fake Slack: waited ${timeoutMs} ms for ${count} call(s) to ${method}; got ${calls.map((c) => c.method).join(', ') || 'none'}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
  return fake;
}
