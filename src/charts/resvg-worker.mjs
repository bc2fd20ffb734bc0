// The thread that draws SVG into pixels for src/charts/resvg-thread.ts. Plain JavaScript, so
// that it loads the same way from src/ (tests, tsx) and next to the build in dist/.
// One thread on purpose: resvg's allocator (mimalloc) keeps freed memory per thread, so the
// pixels of one chart are drawn into the memory of the last one instead of fresh pages.
import { parentPort } from 'node:worker_threads';
import { Resvg } from '@resvg/resvg-js';

// resvg's image and its pixels live outside this thread's small JS heap, which would rarely
// collect them: collect after each chart, so its memory is free for the next one. The global gc
// exists when the process runs with --expose-gc (the launcher passes it); otherwise skip.
const collect = globalThis.gc ?? (() => {});

/** Where the pixels go back to the main thread: shared, reused, grown when a chart is larger. */
let shared = new SharedArrayBuffer(0);

parentPort.on('message', ({ id, svg, options }) => {
  try {
    const image = new Resvg(svg, options).render();
    const pixels = image.pixels;
    if (shared.byteLength < pixels.length) shared = new SharedArrayBuffer(pixels.length);
    new Uint8Array(shared, 0, pixels.length).set(pixels);
    parentPort.postMessage({ id, shared, length: pixels.length, width: image.width, height: image.height });
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
  collect();
});
