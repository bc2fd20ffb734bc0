/** Thrown anywhere below a route; turned into a response in one place (server.ts). */
export class HttpError extends Error {
  readonly status: number;
  /** headers the response carries (Retry-After on a 503) */
  readonly headers: Record<string, string> | undefined;
  constructor(status: number, message: string, headers?: Record<string, string>) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.headers = headers;
  }
}
