/**
 * Why processing a stored delivery failed: for a passing reason (the database
 * connection dropped, a lock, a deadlock, resources), worth retrying with
 * back-off; or for good (its content can never be applied: a NUL the database
 * refuses, a value out of range), marked failed at once with the reason.
 */

/** A delivery whose content cannot be applied; never retried by the processor. */
export class UnprocessableDeliveryError extends Error {
  override name = 'UnprocessableDeliveryError';
}

/**
 * Postgres SQLSTATE classes that pass: connection (08), integrity (23: a row another replica or
 * the config has yet to write), transaction rollback (40: serialization, deadlock), resources
 * (53), operator intervention (57: shutdown, 57P01), system (58). Class 22 (data exception: a
 * NUL in text, a number out of range) is the delivery's own content: for good.
 */
const PASSING_SQLSTATE = /^(08|23|40|53|57|58)/;
/** SQLite codes that pass (another writer, a missing parent row, a full disk being freed, I/O). */
const PASSING_SQLITE = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|PROTOCOL|INTERRUPT|CONSTRAINT)/;
/** Node network errors (a pool's connection going away). */
const PASSING_SYSTEM = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND']);

/** True when retrying later may succeed; false when the delivery itself is the problem. */
export function isPassingFailure(error: unknown): boolean {
  if (error instanceof UnprocessableDeliveryError) return false;
  if (!error || typeof error !== 'object') return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (PASSING_SQLSTATE.test(code) || PASSING_SQLITE.test(code) || PASSING_SYSTEM.has(code)) return true;
    // Any other database code names something wrong with the data (22 data exception, 23 constraint, SQLITE_CONSTRAINT…).
    if (/^[0-9A-Z]{5}$/.test(code) || code.startsWith('SQLITE_')) return false;
  }
  const message = error instanceof Error ? error.message : '';
  // pg's own messages when the server or the pool goes away carry no code.
  if (/Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|the database system is (starting up|shutting down)/i.test(message)) return true;
  // A thrown check of ours (not a time, no status) or a JSON error: the content is the problem.
  if (error instanceof RangeError || error instanceof SyntaxError || error instanceof TypeError) return false;
  if (/not a time|no target status|cannot store/i.test(message)) return false;
  return true;
}
