/**
 * What processing needs from normalized events, checked before a delivery is
 * acknowledged (the route answers 400 with the reason) and again when a stored
 * delivery is processed (a permanent failure, not retried): every text one that
 * both SQLite and Postgres store as sent (no NUL, no lone surrogate), every time
 * a whole epoch millisecond between 1970 and 9999, an item key and a target status.
 */
import type { TrackerEvent } from './tracker-event.ts';

/** 9999-12-31T23:59:59.999Z: the last instant a tracker time is read as. */
export const LATEST_TIME = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** The first reason one of `events` cannot be stored, or null when all can. */
export function findUnstorableEvent(events: readonly TrackerEvent[]): string | null {
  for (const event of events) {
    const item = typeof event.key === 'string' && event.key !== '' ? event.key : null;
    if (!item) return `an event (${event.kind}) names no item key; the tracker must send the issue's key or id`;
    const reason = checkValue(event, item, event.kind);
    if (reason) return reason;
    if (event.kind === 'status-changed' && (typeof event.to !== 'string' || event.to.trim() === '')) {
      return `${item}: the status change names no new status`;
    }
  }
  return null;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const TIME_FIELDS = new Set(['at', 'createdAt']);

function checkValue(value: unknown, item: string, path: string): string | null {
  if (typeof value === 'string') return checkText(value, item, path);
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const reason = checkValue(v, item, `${path}[${i}]`);
      if (reason) return reason;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [name, v] of Object.entries(value)) {
      if (TIME_FIELDS.has(name) && v !== undefined) {
        const reason = checkTime(v, item, name);
        if (reason) return reason;
        continue;
      }
      const reason = checkValue(v, item, name);
      if (reason) return reason;
    }
  }
  return null;
}

function checkText(text: string, item: string, field: string): string | null {
  if (text.includes('\u0000')) {
    return `${item}: ${field} contains U+0000 (a NUL character), which the database cannot store; remove it in the tracker and send the event again`;
  }
  if (LONE_SURROGATE.test(text)) {
    return `${item}: ${field} contains a lone UTF-16 surrogate (an escape like \\ud800 with no pair), which is not text; fix it in the tracker and send the event again`;
  }
  return null;
}

function checkTime(value: unknown, item: string, field: string): string | null {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= LATEST_TIME) return null;
  return `${item}: ${field === 'at' ? 'the event time' : 'the creation time'} ${JSON.stringify(value) ?? String(value)} is not a time between 1970-01-01 and 9999-12-31 (epoch milliseconds or ISO 8601 with an offset)`;
}
