/**
 * The playground's HTTP routes on the one server: the page and its two assets, commands,
 * the message feed (long-poll), the forms, the nudge controls and the chart images.
 * Transport only: each route reads and checks its input, calls the playground, answers JSON.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { HttpError } from '../../route/http-error.ts';
import type { FlowNudgeHttpServer, HttpRequest, HttpResponse } from '../../route/route.ts';
import type { PlaygroundMessage } from './channel-log.ts';
import { FORM_KINDS, type FormKind, type FormResult } from './form-submissions.ts';

/** What the routes need from the playground (index.ts builds it). */
export interface PlaygroundActions {
  page(): Promise<string>;
  command(text: string): Promise<PlaygroundMessage[]>;
  messages(after: number, waitMs: number): Promise<{ messages: PlaygroundMessage[]; last: number; reset: boolean }>;
  form(kind: FormKind, body: unknown): Promise<{ result: FormResult; messages: PlaygroundMessage[] }>;
  checkinNow(): Promise<ControlResult>;
  replayDemo(): Promise<ControlResult>;
}

/** The answer of a nudge control: what it posted, in one sentence, or why it could not run (status 409/501). */
export interface ControlResult {
  status: number;
  summary: string;
  messages: PlaygroundMessage[];
}

/** Long-poll waits at most this long (ms); `wait` in seconds asks for less. */
export const MAX_WAIT_MS = 30_000;

const commandBody = z.object({ text: z.string().trim().min(1, 'type a command, e.g. /flow leadtime').max(2000, 'a command is at most 2,000 characters') });
const messagesQuery = z.object({
  after: z.coerce.number().int().min(0).default(0),
  wait: z.coerce.number().min(0).max(MAX_WAIT_MS / 1000).default(0),
});

/** The page's files: next to this module in src/, and next to the bundle in dist/ (bin/build.js copies them). */
const ASSETS = new URL('./assets/', import.meta.url);

function asset(name: string): Buffer {
  return readFileSync(new URL(name, ASSETS));
}

/** Reads a JSON body. Only application/json is taken, so a plain cross-site form cannot post here. */
export function readJson(request: HttpRequest): unknown {
  const type = request.headers['content-type'] ?? '';
  if (!type.toLowerCase().startsWith('application/json')) {
    throw new HttpError(415, `send the body as JSON with Content-Type: application/json (got "${type || 'none'}")`);
  }
  if (request.rawBody.length === 0) return {};
  try {
    return JSON.parse(request.rawBody.toString('utf8'));
  } catch {
    throw new HttpError(400, 'the body is not valid JSON');
  }
}

function check<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new HttpError(400, `${what}: ${issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''}${issue.message}`);
}

const html = (body: string): HttpResponse => ({ status: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }, body });

/** Registers every playground route except the chart images (those are added per chart). */
export function addPlaygroundRoutes(server: Pick<FlowNudgeHttpServer, 'addRoute'>, actions: PlaygroundActions): void {
  const js = asset('app.js');
  const css = asset('app.css');
  server.addRoute('GET', '/', async () => html(await actions.page()));
  server.addRoute('GET', '/playground', async () => html(await actions.page()));
  server.addRoute('GET', '/playground/app.js', () => ({ status: 200, headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' }, body: js }));
  server.addRoute('GET', '/playground/app.css', () => ({ status: 200, headers: { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'no-cache' }, body: css }));

  server.addRoute('POST', '/playground/command', async (request) => {
    const { text } = check(commandBody, readJson(request), 'command');
    return { status: 200, body: { messages: await actions.command(text) } };
  });

  server.addRoute('GET', '/playground/messages', async (request) => {
    const query = check(messagesQuery, Object.fromEntries(request.url.searchParams), 'messages query');
    return { status: 200, headers: { 'cache-control': 'no-store' }, body: await actions.messages(query.after, query.wait * 1000) };
  });

  for (const kind of FORM_KINDS) {
    server.addRoute('POST', `/playground/forms/${kind}`, async (request) => {
      const { result, messages } = await actions.form(kind, readJson(request));
      if (!result.ok) return { status: 422, body: { errors: result.errors } };
      return { status: 200, body: { messages } };
    });
  }

  const control = (run: () => Promise<ControlResult>) => async (request: HttpRequest): Promise<HttpResponse> => {
    readJson(request);
    const result = await run();
    return { status: result.status, body: result.status === 200 ? { summary: result.summary, messages: result.messages } : { error: result.summary, messages: result.messages } };
  };
  server.addRoute('POST', '/playground/checkin-now', control(() => actions.checkinNow()));
  server.addRoute('POST', '/playground/replay-demo', control(() => actions.replayDemo()));
}
