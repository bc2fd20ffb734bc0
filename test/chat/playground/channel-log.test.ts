import { describe, expect, it } from 'vitest';
import { createChannelLog } from '../../../src/chat/playground/channel-log.ts';
import { createChartCache } from '../../../src/chat/playground/chart-cache.ts';

const line = (text: string) => ({ author: 'bot' as const, name: 'flow-nudge', kind: 'reply' as const, text });

describe('channel log', () => {
  it('numbers messages, stamps them with the clock and returns those after an id', () => {
    let now = 1000;
    const log = createChannelLog({ clock: () => now });
    log.append(line('one'));
    now = 2000;
    log.append(line('two'));
    expect(log.after(0)).toEqual({ messages: [{ id: 1, at: 1000, ...line('one') }, { id: 2, at: 2000, ...line('two') }], last: 2, reset: false });
    expect(log.after(1).messages.map((m) => m.text)).toEqual(['two']);
    expect(log.after(2)).toEqual({ messages: [], last: 2, reset: false });
  });

  it('keeps the newest messages only, and tells a reader ahead of it to start again', () => {
    const log = createChannelLog({ clock: () => 0, maxMessages: 3 });
    for (const t of ['a', 'b', 'c', 'd', 'e']) log.append(line(t));
    expect(log.after(0).messages.map((m) => m.text)).toEqual(['c', 'd', 'e']);
    expect(log.after(9)).toMatchObject({ reset: true, last: 5 });
    expect(log.after(9).messages.map((m) => m.id)).toEqual([3, 4, 5]);
  });

  it('wakes a waiting reader on the next message, and lets a waiting reader go at close', async () => {
    const log = createChannelLog({ clock: () => 0 });
    const waiting = log.waitAfter(0, 10_000);
    log.append(line('hello'));
    expect((await waiting).messages.map((m) => m.text)).toEqual(['hello']);
    const idle = log.waitAfter(1, 10_000);
    log.close();
    expect(await idle).toEqual({ messages: [], last: 1, reset: false });
  });

  it('answers an empty page after the wait when nothing is posted', async () => {
    const log = createChannelLog({ clock: () => 0 });
    const started = Date.now();
    expect(await log.waitAfter(0, 50)).toEqual({ messages: [], last: 0, reset: false });
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });
});

describe('chart cache', () => {
  it('serves charts by id and drops the least recently used past its size', () => {
    const cache = createChartCache({ maxCharts: 2 });
    const a = cache.put(Buffer.from('a'));
    const b = cache.put(Buffer.from('b'));
    expect(a.url).toBe(`/playground/charts/${a.id}.png`);
    expect(cache.get(a.id)?.toString()).toBe('a'); // a is now the most recently used
    const c = cache.put(Buffer.from('c'));
    expect(cache.get(b.id)).toBeUndefined();
    expect(cache.get(a.id)?.toString()).toBe('a');
    expect(cache.get(c.id)?.toString()).toBe('c');
    expect(cache.size()).toBe(2);
  });
});
