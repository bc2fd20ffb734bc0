import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Test files run in parallel. On Postgres they share one database, but each test store
    // lives in a schema of its own (test/support/databases.ts), so they never see each other.
    fileParallelism: true,
    // vitest's default is one worker less than the cores: one worker on a 2-core machine. Most
    // of the long files wait on child processes, timers and Postgres, so two share 2 cores well.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // The CLI tests run the real launcher, which runs dist/: build it once before they start.
    globalSetup: ['test/support/build-once.ts'],
  },
});
