import { parseStrictTime } from '../core/strict-time.ts';

/**
 * Vendor timestamps to epoch ms: ISO 8601 (with `Z`, `+03:00` or Jira's
 * `+0300`), GitLab's `2020-06-29 14:27:15 UTC` / `2020-06-30 14:58:20 +0300`,
 * and epoch milliseconds as numbers. Read by the one strict reader
 * (src/core/strict-time.ts): an impossible date (2026-09-31) or a time with no
 * offset is null, never rolled over into the next month.
 */
export function parseVendorTime(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? value : null;
  if (typeof value !== 'string' || value.length > 64) return null;
  const s = value.trim();
  if (/^\d{12,14}$/.test(s)) return Number(s);
  const result = parseStrictTime(s, { requireTime: true, timeZone: 'UTC' });
  return result.ok ? result.at : null;
}
