import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HEAP_GROWING_PERCENT, HEAP_GROWTH_FLOOR_BYTES, heapGrowingPercentFor } from '../../src/jobs/release-memory.ts';

const MB = 2 ** 20;

describe('keepHeapNearLive', () => {
  it('lets a small heap grow by the floor, and a large one by 20% only', () => {
    expect(heapGrowingPercentFor(36 * MB)).toBe(100);
    expect(heapGrowingPercentFor(72 * MB)).toBe(50);
    expect(heapGrowingPercentFor(HEAP_GROWTH_FLOOR_BYTES * 5)).toBe(HEAP_GROWING_PERCENT);
    // the ten-stream bot's heap, past 180 MB: the 20% alone
    expect(heapGrowingPercentFor(250 * MB)).toBe(HEAP_GROWING_PERCENT);
    // never more than doubling, however small
    expect(heapGrowingPercentFor(2 * MB)).toBe(100);
  });

  it('builds a large history from a small heap through fewer full collections than 20% growth alone', () => {
    const fullCollections = (mode: 'policy' | 'fixed') => {
      const child = spawnSync(
        process.execPath,
        ['--expose-gc', '--max-semi-space-size=4', fileURLToPath(new URL('../../bin/run-ts.js', import.meta.url)), fileURLToPath(new URL('./support/heap-growth-main.ts', import.meta.url)), mode, '80000'],
        { encoding: 'utf8' },
      );
      expect(child.stderr).toBe('');
      const [full, built] = child.stdout.split(' ').map(Number);
      expect(built).toBe(80_000);
      return full!;
    };
    // measured: 3 against 5 (640k objects, ~60 MB)
    expect(fullCollections('policy')).toBeLessThan(fullCollections('fixed'));
  });
});
