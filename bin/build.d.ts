/** True when the build is missing or older than the sources. */
export function isStale(built: string, entryDir?: string): boolean;
/** Builds `entry` to dist/`name` when stale; returns the built path. */
export function ensureBuilt(entry?: string, name?: string): string;
