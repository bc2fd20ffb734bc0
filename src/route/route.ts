/**
 * What a route handler sees and returns, and the route table it is added to. The one
 * server (src/http/server.ts) implements it; chat adapters and the playground add routes.
 */
import type { Server } from 'node:http';

export interface HttpRequest {
  method: string;
  /** path without the query string */
  path: string;
  url: URL;
  /** lower-case names; repeated headers joined with ', ' */
  headers: Record<string, string | undefined>;
  rawBody: Buffer;
}

export interface HttpResponse {
  status: number;
  headers?: Record<string, string>;
  /** an object is sent as JSON; a string as text/plain unless headers say otherwise */
  body?: string | Buffer | object;
}

export type RouteHandler = (request: HttpRequest) => Promise<HttpResponse> | HttpResponse;

export interface FlowNudgeHttpServer {
  server: Server;
  addRoute(method: string, path: string, handler: RouteHandler): void;
  /** Answers a request in process, through the same routing and error handling (tests, fuzzing). */
  request(request: { method: string; path: string; headers?: Record<string, string | undefined>; body?: string | Buffer }): Promise<HttpResponse>;
  /** resolves with the bound port (useful with port 0) */
  listen(port: number, host?: string): Promise<number>;
  /** stop accepting; in-flight requests get up to graceMs (default 10 s) to be answered */
  close(options?: { graceMs?: number }): Promise<void>;
}
