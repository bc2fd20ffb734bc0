import { parse as parseQuery } from 'node:querystring';
import { verifySlackRequest, type App, type Receiver, type ReceiverEvent } from '@slack/bolt';
import type { FlowNudgeHttpServer, HttpRequest, HttpResponse } from '../../route/route.ts';

/** How far a Slack request's timestamp may be from now, in either direction (Slack's own rule: 5 minutes). */
export const SLACK_TIMESTAMP_WINDOW_SECONDS = 300;

export type RawHttpRequest = HttpRequest;
export type RawHttpResponse = HttpResponse;
export type RawRouteHandler = (req: HttpRequest) => Promise<HttpResponse>;

/** The part of the one HTTP server (src/http/server.ts) that Slack needs: its route table. */
export type RouteTable = Pick<FlowNudgeHttpServer, 'addRoute'>;

export interface FlowSlackReceiverOptions {
  signingSecret: string;
  log: { warn(message: string): void; error(message: string): void };
  /** epoch ms; the signature's 5-minute window is judged against it */
  clock: () => number;
  /** answer this long after a request that no listener acknowledged (bolt's default is 3,001 ms) */
  unhandledAfterMs?: number;
}

const text = (status: number, body: string): RawHttpResponse => ({ status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body });

type Headers = HttpRequest['headers'];

function header(headers: Headers, name: string): string | undefined {
  return headers[name];
}

/**
 * A bolt Receiver mounted on our own HTTP server. Its one route handler verifies the Slack
 * signature on the raw body (once, with bolt's `verifySlackRequest`), parses form or JSON,
 * hands the body to `app.processEvent` and answers with what `ack()` gave, without waiting
 * for the listener to finish. Requests are refused with 401 (bad or missing signature, older
 * than 5 minutes) or 400 (unreadable body), each with the reason.
 */
export class FlowSlackReceiver implements Receiver {
  private app: App | undefined;
  private readonly options: FlowSlackReceiverOptions;
  private pending = 0;

  /** Slack requests received and not answered yet (the command queue waits for none). */
  get inFlight(): number {
    return this.pending;
  }

  constructor(options: FlowSlackReceiverOptions) {
    if (!options.signingSecret) {
      throw new Error('SLACK_SIGNING_SECRET is empty: copy the Signing Secret from your Slack app (Basic Information page) into SLACK_SIGNING_SECRET.');
    }
    this.options = options;
  }

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  /** The route handler for `/slack/events`, `/slack/commands` and `/slack/interactivity`. */
  readonly handle: RawRouteHandler = async (req) => {
    this.pending += 1;
    try {
      return await this.answer(req);
    } finally {
      this.pending -= 1;
    }
  };

  private async answer(req: HttpRequest): Promise<HttpResponse> {
    const raw = req.rawBody.toString('utf8');
    const contentType = header(req.headers, 'content-type') ?? '';
    const isJson = contentType.includes('application/json');
    if (!isJson && /(^|&)ssl_check=1(&|$)/.test(raw)) return text(200, '');

    const signature = header(req.headers, 'x-slack-signature');
    const timestamp = header(req.headers, 'x-slack-request-timestamp');
    if (!signature || !timestamp) {
      return text(401, 'Missing X-Slack-Signature or X-Slack-Request-Timestamp header: this endpoint only accepts requests signed by Slack.');
    }
    // bolt's check looks only at the past: a request dated ahead of now is refused here, the same 5 minutes either way.
    const skewSeconds = Number(timestamp) - this.options.clock() / 1000;
    if (!/^\d{1,12}$/.test(timestamp.trim()) || Math.abs(skewSeconds) > SLACK_TIMESTAMP_WINDOW_SECONDS) {
      const where = Number.isFinite(skewSeconds) ? `${Math.round(Math.abs(skewSeconds))} s ${skewSeconds > 0 ? 'ahead of' : 'behind'} this server's clock` : 'not a Unix time in seconds';
      return text(401, `X-Slack-Request-Timestamp ${JSON.stringify(timestamp)} is ${where}; Slack requests must be within ${SLACK_TIMESTAMP_WINDOW_SECONDS / 60} minutes of now. Check that this server's clock is right.`);
    }
    try {
      verifySlackRequest({
        signingSecret: this.options.signingSecret,
        body: raw,
        headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': Number(timestamp) },
        nowMilliseconds: this.options.clock(),
      });
    } catch (error) {
      return text(401, `${(error as Error).message}. Check that SLACK_SIGNING_SECRET matches the Signing Secret of the Slack app and that this server's clock is right.`);
    }

    let body: ReceiverEvent['body'];
    try {
      body = isJson ? JSON.parse(raw) : parseForm(raw);
    } catch (error) {
      return text(400, `The request body is not valid ${isJson ? 'JSON' : 'form data'}: ${(error as Error).message}`);
    }
    if (body.type === 'url_verification') {
      return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ challenge: body.challenge }) };
    }
    if (!this.app) return text(503, 'The Slack app is not initialised yet: call mountSlack before sending requests.');
    return this.dispatch(body, req.headers);
  }

  private dispatch(body: ReceiverEvent['body'], headers: Headers): Promise<RawHttpResponse> {
    return new Promise((resolve) => {
      let acked = false;
      const timer = setTimeout(() => {
        if (acked) return;
        acked = true;
        this.options.log.warn(`Slack request of type ${body.type ?? body.command ?? 'unknown'} was not acknowledged by any listener.`);
        resolve(text(404, 'No listener handled this request.'));
      }, this.options.unhandledAfterMs ?? 3001);
      const ack: ReceiverEvent['ack'] = async (response?: unknown) => {
        if (acked) return;
        acked = true;
        clearTimeout(timer);
        if (response === undefined || response === '') resolve({ status: 200, body: '' });
        else if (typeof response === 'string') resolve(text(200, response));
        else resolve({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(response) });
      };
      const retryNum = Number(header(headers, 'x-slack-retry-num'));
      const event: ReceiverEvent = {
        body,
        ack,
        retryNum: Number.isFinite(retryNum) ? retryNum : undefined,
        retryReason: header(headers, 'x-slack-retry-reason'),
      };
      this.app!.processEvent(event).catch((error: Error) => {
        this.options.log.error(`Slack listener failed: ${error.message}`);
        if (!acked) {
          acked = true;
          clearTimeout(timer);
          resolve(text(500, 'The request could not be handled; the error is in the server log.'));
        }
      });
    });
  }
}

/** A form body; interactivity wraps its JSON in a `payload` field. */
function parseForm(raw: string): ReceiverEvent['body'] {
  const form = parseQuery(raw) as Record<string, string>;
  if (typeof form.payload === 'string') return JSON.parse(form.payload);
  return form;
}
