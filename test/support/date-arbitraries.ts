/** fast-check generators of calendar dates and of dates that are not on the calendar. */
import fc from 'fast-check';
import { daysInMonth } from '../../src/core/strict-time.ts';

export const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** A date that is not on the calendar: a day past its month's end, day 0, or month 0 / 13+. */
export const impossibleDate = fc
  .tuple(fc.integer({ min: 1970, max: 2100 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 3 }))
  .chain(([year, month, kind]) => {
    if (kind === 0) return fc.constant(`${year}-${pad(month)}-00`);
    if (kind === 1) return fc.tuple(fc.constant(year), fc.integer({ min: 13, max: 99 }), fc.integer({ min: 1, max: 28 })).map(([y, m, d]) => `${y}-${pad(m)}-${pad(d)}`);
    if (kind === 2) return fc.constant(`${year}-00-${pad(month)}`);
    return fc.integer({ min: daysInMonth(year, month) + 1, max: 99 }).map((day) => `${year}-${pad(month)}-${pad(day)}`);
  });

export const validDate = fc
  .tuple(fc.integer({ min: 1970, max: 2100 }), fc.integer({ min: 1, max: 12 }))
  .chain(([year, month]) => fc.integer({ min: 1, max: daysInMonth(year, month) }).map((day) => ({ year, month, day, text: `${year}-${pad(month)}-${pad(day)}` })));

