/**
 * Vitest global setup: tests that run the real `flow-nudge` command (bin/flow-nudge.js) need
 * dist/ built from the source under test. Build it once here, before any test file starts,
 * instead of each spawned process finding it stale.
 */
import { ensureBuilt } from '../../bin/build.js';

export default function setup(): void {
  ensureBuilt();
}
