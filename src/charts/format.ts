/**
 * Text formatting for chart titles, labels and summaries. Pure: dates are
 * formatted in an explicit IANA time zone, never the host's.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * The local calendar date of an instant in a time zone.
 * @example localDateOf(Date.UTC(2026, 8, 1, 23), 'Europe/Berlin') // '2026-09-02'
 */
export function localDateOf(ms: number, timeZone = 'UTC'): string {
  let format = dateFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormats.set(timeZone, format);
  }
  return format.format(ms);
}

/**
 * A `YYYY-MM-DD` date as the epoch ms of its UTC midnight (how the charts place dates on a time axis).
 * @example dateToUtcMs('2026-09-01') // 1788220800000
 */
export function dateToUtcMs(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y, m - 1, d);
}

/**
 * @example formatDay('2026-09-01') // '1 Sep'
 * @example formatDay('2026-09-01', true) // '1 Sep 2026'
 */
export function formatDay(date: string, withYear = false): string {
  const [y, m, d] = date.split('-').map(Number);
  return withYear ? `${d} ${MONTHS[m - 1]} ${y}` : `${d} ${MONTHS[m - 1]}`;
}

/**
 * A date range in words; the year is written once when both ends share it.
 * @example formatDateRange('2026-09-01', '2026-11-30') // '1 Sep – 30 Nov 2026'
 * @example formatDateRange('2025-12-01', '2026-01-31') // '1 Dec 2025 – 31 Jan 2026'
 */
export function formatDateRange(fromDate: string, toDate: string): string {
  if (fromDate === toDate) return formatDay(fromDate, true);
  const sameYear = fromDate.slice(0, 4) === toDate.slice(0, 4);
  return `${formatDay(fromDate, !sameYear)} – ${formatDay(toDate, true)}`;
}

/**
 * A number with at most `digits` decimals and no trailing zeros.
 * @example formatNumber(14.25) // '14.3'
 * @example formatNumber(-3.04) // '−3'
 */
export function formatNumber(value: number, digits = 1): string {
  const factor = 10 ** digits;
  const rounded = Math.round(value * factor) / factor;
  const text = String(Object.is(rounded, -0) ? 0 : rounded);
  return text.startsWith('-') ? `−${text.slice(1)}` : text;
}

/**
 * @example plural(1, 'item') // '1 item'
 * @example plural(1200, 'item') // '1,200 items'
 */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? singular : pluralForm}`;
}

/**
 * @example formatPercent(0.4149) // '41%'
 */
export function formatPercent(share: number): string {
  return `${Math.round(share * 100)}%`;
}
