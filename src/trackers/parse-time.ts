/**
 * Vendor timestamps to epoch ms: ISO 8601 (with `Z`, `+03:00` or Jira's
 * `+0300`), GitLab's `2020-06-29 14:27:15 UTC` / `2020-06-30 14:58:20 +0300`,
 * and epoch milliseconds as numbers. Returns null for anything else.
 */
export function parseVendorTime(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? value : null;
  if (typeof value !== 'string' || value.length > 64) return null;
  const s = value.trim();
  if (/^\d{12,14}$/.test(s)) return Number(s);
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/.exec(s);
  if (!m) return null;
  let zone = m[3] ?? 'Z';
  if (zone === 'UTC') zone = 'Z';
  if (/^[+-]\d{4}$/.test(zone)) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const ms = Date.parse(`${m[1]}T${m[2].replace(',', '.')}${zone}`);
  return Number.isFinite(ms) ? ms : null;
}
