/**
 * The five adapters behind one interface, so the HTTP route, a replay from the
 * inbox and the CLI all use the same verify → parse → normalize.
 */
import type { NormalizeOptions } from './normalize-options.ts';
import type { Headers, ParseResult, RawBody, TrackerEvent, Vendor, VerifyRequest, VerifyResult } from './tracker-event.ts';
import * as jira from './jira/index.ts';
import * as github from './github/index.ts';
import * as gitlab from './gitlab/index.ts';
import * as linear from './linear/index.ts';
import * as azureDevops from './azure-devops/index.ts';

export interface TrackerAdapter {
  vendor: Vendor;
  /** (secret, raw body, lower-case headers, now ms, method and URL) → ok or a reason; constant-time, no I/O */
  verify(secret: string, rawBody: RawBody, headers: Headers, now: number, request?: VerifyRequest): VerifyResult;
  /** the JSON body (already verified) → payload, ignored with a reason, or invalid with a reason */
  parse(body: unknown, headers: Headers): ParseResult<unknown>;
  normalize(payload: unknown, options?: NormalizeOptions): TrackerEvent[];
}

function adapter<T>(
  vendor: Vendor,
  m: {
    verify: TrackerAdapter['verify'];
    parse: (body: unknown, headers: Headers) => ParseResult<T>;
    normalize: (payload: T, options?: NormalizeOptions) => TrackerEvent[];
  },
): TrackerAdapter {
  return { vendor, verify: m.verify, parse: m.parse, normalize: (payload, options) => m.normalize(payload as T, options) };
}

export const TRACKER_ADAPTERS: Record<Vendor, TrackerAdapter> = {
  jira: adapter('jira', jira),
  github: adapter('github', github),
  gitlab: adapter('gitlab', gitlab),
  linear: adapter('linear', linear),
  'azure-devops': adapter('azure-devops', azureDevops),
};
