import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Storage tests on Postgres share one database: files run one at a time
    // against it, each cleaning the tables it uses.
    fileParallelism: true,
  },
});
