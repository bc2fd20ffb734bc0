/**
 * Draws SVG into pixels with resvg on one worker thread (src/charts/resvg-worker.mjs), one chart
 * at a time. Why a thread of our own rather than resvg's renderAsync on libuv's pool: resvg's
 * allocator (mimalloc) keeps freed memory per thread, and on this kind of virtual machine
 * touching fresh pages costs ~35 ms per 10 MB of pixels, more than drawing the chart. On one
 * thread, with freed memory kept for 200 ms (MIMALLOC_PURGE_DELAY, set by the launcher: see
 * bin/flow-nudge.js), each chart reuses the memory of the last, and a
 * burst of charts (the weekly check-in) holds one chart's memory, not one per pool thread.
 * Measured by `npm run bench charts` and `npm run bench nudges`.
 */
import { Worker } from 'node:worker_threads';
import type { ResvgRenderOptions } from '@resvg/resvg-js';

/** The worker script: next to this module in src/, and next to the bundle in dist/ (bin/build.js copies it). */
const WORKER_URL = new URL('./resvg-worker.mjs', import.meta.url);

interface Drawn {
  id: number;
  shared?: SharedArrayBuffer;
  length?: number;
  width?: number;
  height?: number;
  error?: string;
}

let worker: Worker | null = null;
let nextId = 0;
const waiting = new Map<number, { resolve: (drawn: Drawn) => void; reject: (error: Error) => void }>();
let queue: Promise<unknown> = Promise.resolve();

function failAll(error: Error): void {
  for (const { reject } of waiting.values()) reject(error);
  waiting.clear();
}

function thread(): Worker {
  if (worker) return worker;
  const started = new Worker(WORKER_URL);
  started.on('message', (drawn: Drawn) => {
    const entry = waiting.get(drawn.id);
    waiting.delete(drawn.id);
    entry?.resolve(drawn);
  });
  started.on('error', (error) => {
    if (worker === started) worker = null;
    failAll(new Error(`The chart renderer stopped: ${error.message}`));
  });
  started.on('exit', (code) => {
    if (worker === started) worker = null;
    failAll(new Error(`The chart renderer exited (code ${code}).`));
  });
  started.unref(); // idle, it never keeps the process alive (after the listeners: they would ref it again)
  worker = started;
  return started;
}

/**
 * Draws `svg` and hands its straight RGBA pixels to `use`, which must be done with them when it
 * returns (the next chart is drawn into the same memory). Charts are drawn one at a time.
 * @example const png = await withPixels(svg, options, (rgba, width, height) => encodePng(rgba, width, height));
 */
export function withPixels<T>(svg: string, options: ResvgRenderOptions, use: (rgba: Uint8Array, width: number, height: number) => T): Promise<T> {
  const run = queue.then(async () => {
    const id = nextId++;
    const drawing = thread();
    drawing.ref(); // a chart on its way keeps the process alive; idle, the thread does not
    const drawn = await new Promise<Drawn>((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      drawing.postMessage({ id, svg, options });
    }).finally(() => drawing.unref());
    if (drawn.error !== undefined) throw new Error(`Could not draw the chart: ${drawn.error}`);
    return use(new Uint8Array(drawn.shared!, 0, drawn.length!), drawn.width!, drawn.height!);
  });
  queue = run.catch(() => undefined);
  return run;
}
