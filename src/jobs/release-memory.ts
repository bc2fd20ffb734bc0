/**
 * A full garbage collection between one stream's work and the next. V8 grows its heap lazily
 * while garbage comes fast (each chart render leaves tens of MB of it), so a job that goes
 * through a hundred streams would otherwise end with the heap of its busiest moment. Measured
 * by `npm run bench nudges` (the weekly check-in over 1,000 channels): the peak RSS drops by
 * about a third for ~10% more time.
 *
 * The collection needs Node's `--expose-gc`, which the launcher passes (bin/flow-nudge.js,
 * `npm start`); without it (tests, a library user) this is a no-op. Nothing is switched on at
 * run time.
 */

/** Runs a full GC when the process was started with --expose-gc; otherwise does nothing. */
export function releaseMemory(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
