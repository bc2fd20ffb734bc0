/**
 * Which errors mean "the database is not there for a moment" (a Postgres restart, a dropped or
 * refused connection, SQLite busy past its timeout) rather than "this request is wrong". Callers
 * answer those 503 with Retry-After and retry later; nothing of the request was committed.
 */

/** SQLSTATE classes and codes of a server going away or not taking connections yet. */
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[1-3]|53300|40001|40P01)$/;
const UNAVAILABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'SQLITE_BUSY', 'SQLITE_LOCKED']);
const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'is not queryable',
  'Client has encountered a connection error',
  'the database system is starting up',
  'the database system is shutting down',
];

/** Seconds a client is asked to wait before it retries (the Retry-After header). */
export const STORE_RETRY_AFTER_S = 5;

/** True when `error` (or one of its causes) is the database being briefly unreachable. */
export function isStoreUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (typeof e !== 'object') return false;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_NODE_CODES.has(code))) return true;
    const message = (e as { message?: unknown }).message;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((m) => message.includes(m))) return true;
  }
  return false;
}
