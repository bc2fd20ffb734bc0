/**
 * Draws SVG into pixels with resvg on one worker thread (src/charts/resvg-worker.mjs), one chart
 * at a time. Why a thread of our own rather than resvg's renderAsync on libuv's pool: resvg's
 * allocator (mimalloc) keeps freed memory per thread, and on this kind of virtual machine
 * touching fresh pages costs ~35 ms per 10 MB of pixels, more than drawing the chart. On one
 * thread, with freed memory kept for 200 ms (MIMALLOC_PURGE_DELAY, set by the launcher: see
 * bin/flow-nudge.js), each chart reuses the memory of the last, and a
 * burst of charts (the weekly check-in) holds one chart's memory, not one per pool thread.
 * Measured by `npm run bench charts` and `npm run bench nudges`.
 *
 * Each `createResvgThread()` owns its thread (started at its first chart, started again after a
 * crash) and its queue; `close()` ends the thread. The renderer (src/charts/index.ts) makes one,
 * and a composition root makes one renderer.
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

export interface ResvgThread {
  /**
   * Draws `svg` and hands its straight RGBA pixels to `use`, which must be done with them when it
   * returns (the next chart is drawn into the same memory). Charts are drawn one at a time.
   * Refused once the thread is closed.
   * @example const png = await thread.withPixels(svg, options, (rgba, width, height) => encodePng(rgba, width, height));
   */
  withPixels<T>(svg: string, options: ResvgRenderOptions, use: (rgba: Uint8Array, width: number, height: number) => T): Promise<T>;
  /** The worker's thread id while it runs, null before the first chart and after close (or a crash). */
  readonly threadId: number | null;
  /** True once close() was called. */
  readonly closed: boolean;
  /** Refuses new charts at once, lets the charts already asked for finish, then ends the thread. */
  close(): Promise<void>;
}

/** The refusal of a closed renderer: what happened and what to do instead. */
export const CLOSED_MESSAGE = 'This chart renderer is closed: it draws no more charts. Make a new one with createChartRenderer() (close it when done).';

/**
 * A resvg thread of its own, started when the first chart is asked for; idle, it never keeps the
 * process alive.
 * @example const thread = createResvgThread(); await thread.withPixels(svg, {}, (rgba) => rgba[0]); await thread.close();
 */
export function createResvgThread(): ResvgThread {
  let worker: Worker | null = null;
  let nextId = 0;
  let closed = false;
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
      failAll(new Error(closed ? CLOSED_MESSAGE : `The chart renderer exited (code ${code}).`));
    });
    started.unref(); // idle, it never keeps the process alive (after the listeners: they would ref it again)
    worker = started;
    return started;
  }

  return {
    withPixels(svg, options, use) {
      if (closed) return Promise.reject(new Error(CLOSED_MESSAGE));
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
    },
    get threadId() {
      return worker?.threadId ?? null;
    },
    get closed() {
      return closed;
    },
    async close() {
      closed = true;
      await queue;
      const ending = worker;
      worker = null;
      if (ending) await ending.terminate();
    },
  };
}
