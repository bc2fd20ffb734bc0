// Child process for the keepHeapNearLive test: builds ~60 MB of live objects from a small heap
// (as a 90-day window of a million-item history is built; argv[3] items of 8 moves) and prints how many full collections
// it met. `fixed` sets the growing percent to HEAP_GROWING_PERCENT alone, as before the floor.
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { HEAP_GROWING_PERCENT, keepHeapNearLive } from '../../../src/jobs/release-memory.ts';

if (process.argv[2] === 'fixed') setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
else keepHeapNearLive();
(globalThis as { gc?: () => void }).gc?.();
await new Promise((resolve) => setTimeout(resolve, 20));
let full = 0;
const watch = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) if ((entry as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) full += 1;
});
watch.observe({ entryTypes: ['gc'] });
const kept: { at: number; to: string; n: number[] }[][] = [];
for (let item = 0; item < Number(process.argv[3] ?? 80_000); item += 1) {
  const moves = [];
  for (let k = 0; k < 8; k += 1) moves.push({ at: 1.7e12 + item * 1000 + k, to: `s${k}`, n: [k, item] });
  kept.push(moves);
  // the answer's garbage alongside
  if (item % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
}
await new Promise((resolve) => setTimeout(resolve, 50));
watch.disconnect();
process.stdout.write(`${full} ${kept.length}`);
