import { describe, expect, it } from 'vitest';
import { createCommandQueue } from '../../../src/chat/slack/command-queue.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('command queue', () => {
  it('holds work while requests are being acknowledged, then runs every job in order', async () => {
    let busy = true;
    const ran: number[] = [];
    const queue = createCommandQueue({ isBusy: () => busy, log: { error() {} }, concurrency: 1, quietMs: 500, maxHoldMs: 10_000 });
    for (let i = 0; i < 5; i++) queue.push(async () => void ran.push(i));
    await sleep(100);
    expect(ran).toEqual([]);
    busy = false;
    await sleep(50);
    expect(ran).toEqual([]); // not quiet long enough yet
    await expect.poll(() => ran, { timeout: 5000 }).toEqual([0, 1, 2, 3, 4]);
    expect(queue.size).toBe(0);
  });

  it('never holds a job longer than maxHoldMs, and a failing job does not stop the next', async () => {
    const errors: string[] = [];
    const ran: string[] = [];
    const queue = createCommandQueue({ isBusy: () => true, log: { error: (m) => errors.push(m) }, quietMs: 30, maxHoldMs: 150 });
    const started = performance.now();
    queue.push(async () => {
      throw new Error('boom');
    });
    queue.push(async () => void ran.push('second'));
    await expect.poll(() => ran, { timeout: 2000 }).toEqual(['second']);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(errors[0]).toContain('boom');
  });
});
