/**
 * A full garbage collection between one stream's work and the next. V8 grows its heap lazily
 * while garbage comes fast (each chart render leaves tens of MB of it), so a job that goes
 * through a hundred streams would otherwise end with the heap of its busiest moment. Measured
 * by `npm run bench nudges` (the weekly check-in over 1,000 channels): the peak RSS drops by
 * about a third for ~10% more time.
 *
 * The HTTP edge uses both (src/http/connection-guard.ts): a young-generation collection every
 * few MB of request bodies read, so the copies Node makes of each read are freed while a few MB,
 * not the ~64 MB of them V8 would let pile up; a full one once a surge of shed connections is over.
 *
 * The collections need Node's `--expose-gc`, which the launcher passes (bin/flow-nudge.js,
 * `npm start`); without it (tests, a library user) these are no-ops. Nothing is switched on at
 * run time.
 */

type Gc = (options?: { type?: 'major' | 'minor'; execution?: 'sync' | 'async' }) => void;
const gc = (): Gc | undefined => (globalThis as { gc?: Gc }).gc;

/** Runs a full GC when the process was started with --expose-gc; otherwise does nothing. */
export function releaseMemory(): void {
  gc()?.();
}

/**
 * Runs a young-generation GC (a scavenge, about a millisecond) when the process was started with
 * --expose-gc; otherwise does nothing. It frees the memory of short-lived Buffers already dropped.
 */
export function releaseYoungMemory(): void {
  gc()?.({ type: 'minor' });
}
