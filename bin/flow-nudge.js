#!/usr/bin/env -S MALLOC_ARENA_MAX=2 node --expose-gc --max-semi-space-size=4
// The flow-nudge command: runs the build in dist/ (made by `npm install` through the `prepare`
// script, or `npm run build`). It never builds at run time. --expose-gc lets the weekly job
// collect garbage between streams (src/jobs/release-memory.ts). --max-semi-space-size=4 keeps
// V8's young generation at 8 MB instead of up to 32: ten streams of 100k items peaked at 487–494 MB
// instead of 522–531 (`npm run bench scale --only=streams`), with webhook ingest and answer times
// the same within this machine's noise (README, under Development). MALLOC_ARENA_MAX=2 keeps
// glibc's malloc to two arenas instead of one per thread that allocates (eight on two cores):
// the same bench peaked at 480–485 MB instead of 503–511 on the same day, answers as fast. glibc
// reads it when the process starts, so it is set here, before node runs (`npm start` and
// `npm run flow-nudge` keep an operator's own value; this line sets 2).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const built = fileURLToPath(new URL('../dist/flow-nudge.mjs', import.meta.url));
if (!existsSync(built)) {
  process.stderr.write('flow-nudge: dist/flow-nudge.mjs is missing. Run `npm run build` (npm install does it through `prepare`).\n');
  process.exit(2);
}
if (existsSync(fileURLToPath(new URL('../src', import.meta.url)))) {
  // a development checkout: say when the build is older than the source (only a warning)
  try {
    const { isStale } = await import('./build.js');
    if (isStale(built)) process.stderr.write('flow-nudge: dist/ is older than src/ — run `npm run build` to run your changes.\n');
  } catch {
    // the check is advice only
  }
}
// resvg's allocator (mimalloc) keeps freed memory 200 ms instead of 10, so each chart is drawn
// into the memory of the last (src/charts/resvg-thread.ts). It reads this once, when resvg loads;
// an operator's own value wins.
process.env.MIMALLOC_PURGE_DELAY ??= '200';
// stack traces name the TypeScript files
process.setSourceMapsEnabled(true);
const { main } = await import(pathToFileURL(built).href);
process.exitCode = await main(process.argv.slice(2));
