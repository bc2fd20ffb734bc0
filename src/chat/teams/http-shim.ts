/**
 * The bridge between our node:http route table and the Agents SDK, which expects an
 * express-like request (parsed body, headers, method) and response (status, setHeader,
 * send, end). The JWT check (`authorizeRequest`) and `process` both run on the shim; what
 * they write becomes the route's `{ status, headers, body }`.
 */
import type { CloudAdapter, Request, TurnContext, WebResponse } from '@microsoft/agents-hosting';
import type { HttpRequest, HttpResponse } from '../../route/route.ts';

/** A response object the SDK can write to; `result` resolves when it calls `end()`. */
export interface ResponseShim extends WebResponse {
  result: Promise<HttpResponse>;
}

export function createResponseShim(): ResponseShim {
  let status = 200;
  const headers: Record<string, string> = {};
  let body: unknown;
  let resolve!: (response: HttpResponse) => void;
  const result = new Promise<HttpResponse>((r) => (resolve = r));
  const shim: ResponseShim = {
    headersSent: false,
    writableEnded: false,
    result,
    status(code) {
      status = code;
      return shim;
    },
    setHeader(name, value) {
      headers[name.toLowerCase()] = value;
      return shim;
    },
    send(value) {
      // Like express: send() finishes the response (the JWT check calls send without end).
      body = value;
      return shim.end();
    },
    end() {
      if (shim.writableEnded) return shim;
      shim.writableEnded = true;
      shim.headersSent = true;
      const out: HttpResponse = { status, headers };
      if (body !== undefined && body !== null) out.body = typeof body === 'string' || Buffer.isBuffer(body) ? body : (body as object);
      resolve(out);
      return shim;
    },
  };
  return shim;
}

/** The SDK request for a raw route request; a body that is not a JSON object is a 400 with the reason. */
export function toAgentRequest(request: HttpRequest): Request | HttpResponse {
  let body: unknown;
  try {
    body = JSON.parse(request.rawBody.toString('utf8'));
  } catch (error) {
    return { status: 400, body: { error: `The body is not JSON (${(error as Error).message}). POST a Bot Framework Activity as application/json.` } };
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    return { status: 400, body: { error: 'The body is not a JSON object. POST a Bot Framework Activity (an object with a "type").' } };
  }
  return { body: body as Record<string, unknown>, headers: request.headers, method: request.method };
}

/**
 * Runs one POST /api/messages through the adapter: JWT check (anonymous when no client id is
 * configured), then the turn. Resolves with what the SDK answered: 200, the invoke response
 * for invokes, 400 for a bad Activity, 401 for a bad token.
 */
export async function processActivity(
  adapter: CloudAdapter,
  request: HttpRequest,
  logic: (context: TurnContext) => Promise<void>,
): Promise<HttpResponse> {
  const agentRequest = toAgentRequest(request);
  if ('status' in agentRequest) return agentRequest;
  const res = createResponseShim();
  let turn: Promise<void> | undefined;
  // authorizeRequest calls next() without awaiting it: keep the turn's promise to wait for it.
  await adapter.authorizeRequest(agentRequest, res, () => {
    turn = adapter.process(agentRequest, res, logic);
  });
  try {
    await turn;
  } catch (error) {
    // Errors inside the turn go to the adapter's onTurnError; what reaches here is the SDK
    // refusing the request itself (an object that is not an Activity, a missing body).
    if (!res.writableEnded) {
      const reason = (error as Error).message.replace(/\s+/g, ' ').slice(0, 300);
      res.status(400).send({ error: `The body is not a valid Bot Framework Activity: ${reason}. POST an Activity with a "type" (message, invoke, conversationUpdate…).` });
    }
  }
  if (!res.writableEnded) res.status(500).send({ error: 'The activity was not answered; see the server log.' }).end();
  return res.result;
}
