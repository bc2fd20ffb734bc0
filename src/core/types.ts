/**
 * The plain data the flow metrics work on and return. Every layer above
 * (store, charts, commands, nudges) speaks in these shapes.
 *
 * Times are epoch milliseconds (UTC instants). Calendar dates are strings
 * `YYYY-MM-DD` in the value stream's time zone. Nothing here reads the clock.
 * Inputs are in input-types.ts, results in report-types.ts.
 */
export * from './input-types.ts';
export * from './report-types.ts';
