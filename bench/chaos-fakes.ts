/**
 * A fake Slack Web API and a fake Teams (Bot Framework) connector on 127.0.0.1 that misbehave
 * on a share of calls, and count what they really did. A call picked for trouble gets one of:
 * HTTP 429 with Retry-After (nothing done), HTTP 500 (nothing done), a slow answer (done after
 * a delay of 0.5–2 s), or a connection reset (the socket is destroyed before anything is done).
 * What a call does happens before its answer is sent, as on the real platforms.
 *
 * Counted: per Slack channel, each message text posted and each chart shared (by its title);
 * per Teams conversation, each card (by its text) and each chart image in a card.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQuery } from 'node:querystring';

export interface ChaosOptions {
  /** share of calls that get trouble (0–1) */
  failureShare: number;
  /** deterministic trouble: a seed for the fakes' random numbers */
  seed?: number;
  retryAfterSeconds?: number;
}

export interface ChaosCounts {
  calls: number;
  troubled: { '429': number; '500': number; slow: number; reset: number };
  /** channel → text → how many times it was posted */
  texts: Map<string, Map<string, number>>;
  /** channel → chart (title or image) → how many times it was shared */
  charts: Map<string, Map<string, number>>;
}

export interface ChaosFake {
  url: string;
  counts: ChaosCounts;
  close(): Promise<void>;
}

type Trouble = '429' | '500' | 'slow' | 'reset' | null;

function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return ((state >>> 0) % 1_000_000) / 1_000_000;
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const bump = (map: Map<string, Map<string, number>>, channel: string, what: string) => {
  const inner = map.get(channel) ?? new Map<string, number>();
  map.set(channel, inner);
  inner.set(what, (inner.get(what) ?? 0) + 1);
};

function emptyCounts(): ChaosCounts {
  return { calls: 0, troubled: { '429': 0, '500': 0, slow: 0, reset: 0 }, texts: new Map(), charts: new Map() };
}

/**
 * Starts a server whose handler `act(path, body)` does the work and returns the JSON answer;
 * trouble is decided per call before it.
 */
async function startChaosServer(options: ChaosOptions, act: (path: string, body: Buffer, contentType: string, counts: ChaosCounts) => object): Promise<ChaosFake> {
  const counts = emptyCounts();
  const next = random(options.seed ?? 7);
  const retryAfter = String(options.retryAfterSeconds ?? 1);
  const server: Server = createServer(async (req, res) => {
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch {
      return;
    }
    counts.calls++;
    let trouble: Trouble = null;
    if (next() < options.failureShare) trouble = (['429', '500', 'slow', 'reset'] as const)[Math.floor(next() * 4)]!;
    if (trouble) counts.troubled[trouble]++;
    if (trouble === 'reset') return void req.socket.destroy();
    if (trouble === '429') {
      res.writeHead(429, { 'retry-after': retryAfter, 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
    }
    if (trouble === '500') {
      res.writeHead(500, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ ok: false, error: 'internal_error' }));
    }
    if (trouble === 'slow') await new Promise((r) => setTimeout(r, 500 + Math.floor(next() * 1500)));
    let answer: object;
    try {
      answer = act(decodeURIComponent((req.url ?? '/').split('?')[0]!), body, String(req.headers['content-type'] ?? ''), counts);
    } catch (error) {
      res.writeHead(400, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ ok: false, error: (error as Error).message }));
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer));
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function formOrJson(body: Buffer, contentType: string): Record<string, any> {
  const text = body.toString('utf8');
  const fields: Record<string, any> = contentType.includes('json') ? JSON.parse(text || '{}') : parseQuery(text);
  for (const [k, v] of Object.entries(fields)) {
    if (typeof v === 'string' && /^[[{]/.test(v)) {
      try {
        fields[k] = JSON.parse(v);
      } catch {
        /* a plain string */
      }
    }
  }
  return fields;
}

/** The fake Slack Web API: `slackApiUrl` is `${url}api/`. */
export async function startChaosSlack(options: ChaosOptions): Promise<ChaosFake & { apiUrl: string }> {
  let files = 0;
  let messages = 0;
  const uploaded = new Set<string>();
  let base = '';
  const fake = await startChaosServer(options, (path, body, contentType, counts) => {
    if (path.startsWith('/upload/')) {
      uploaded.add(path.slice('/upload/'.length));
      return { ok: true };
    }
    const method = path.replace(/^\/api\//, '');
    const params = formOrJson(body, contentType);
    switch (method) {
      case 'chat.postMessage':
        bump(counts.texts, String(params.channel), String(params.text));
        return { ok: true, channel: params.channel, ts: `1790000000.${String(++messages).padStart(6, '0')}` };
      case 'files.getUploadURLExternal': {
        const id = `F${++files}`;
        return { ok: true, file_id: id, upload_url: `${base}upload/${id}` };
      }
      case 'files.completeUploadExternal': {
        const shared = (params.files ?? []) as { id: string; title?: string }[];
        for (const f of shared) {
          if (!uploaded.has(f.id)) throw new Error(`file ${f.id} was never uploaded`);
          bump(counts.charts, String(params.channel_id), String(f.title ?? f.id));
        }
        return { ok: true, files: shared };
      }
      case 'auth.test':
        return { ok: true, team_id: 'T0BENCH', user_id: 'UBOT', bot_id: 'BBOT' };
      default:
        return { ok: true };
    }
  });
  base = fake.url;
  return { ...fake, apiUrl: `${fake.url}api/` };
}

/** The fake Teams connector: the conversations' serviceUrl is `url`. */
export async function startChaosConnector(options: ChaosOptions): Promise<ChaosFake> {
  let activities = 0;
  return startChaosServer(options, (path, body, _contentType, counts) => {
    const match = /^\/v3\/conversations\/([^/]+)\/activities$/.exec(path);
    if (!match) return {};
    const conversation = match[1]!;
    const activity = JSON.parse(body.toString('utf8') || '{}') as { summary?: string; attachments?: { content?: unknown }[] };
    const card = JSON.stringify(activity.attachments?.[0]?.content ?? {});
    bump(counts.texts, conversation, String(activity.summary ?? ''));
    // a chart travels as the card's image: counted under the card it came in
    if (card.includes('data:image/png;base64,') || card.includes('/charts/chart.png')) bump(counts.charts, conversation, String(activity.summary ?? ''));
    return { id: `m-${++activities}` };
  });
}
