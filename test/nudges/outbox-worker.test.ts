/**
 * The outbox and its worker on SQLite and Postgres: written first, delivered after, retried on
 * 429/5xx with backoff, kept when refused, never doubled; a lease lets another worker pick up a
 * row whose worker died (the documented at-least-once edge).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/database.ts';
import { claimDueOutbox, listOutbox, markOutboxSent, recordOutboxStep } from '../../src/store/outbox.ts';
import { runStep, type Deliverer, type DeliveryOutcome } from '../../src/nudges/deliverer.ts';
import { createOutboxWorker } from '../../src/nudges/outbox-worker.ts';
import { postNudge } from '../../src/nudges/post-nudge.ts';
import { openTestStore, testDialects } from '../support/databases.ts';
import { RecordingDeliverer } from './support/recording-deliverer.ts';

const T0 = Date.UTC(2026, 10, 2, 9, 0);
const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);

for (const dialect of testDialects()) {
  describe(`outbox worker (${dialect})`, () => {
    let store: Store;
    let clock = T0;
    const now = () => clock;
    beforeEach(async () => {
      store = await openTestStore(dialect);
      clock = T0;
    });
    afterEach(async () => store.close());

    const post = (dedupKey: string, platform: 'slack' | 'teams' = 'slack') =>
      postNudge(
        { store, charts: null },
        {
          kind: 'signal',
          target: { platform, channelId: 'C1' },
          dedupKey,
          message: { text: `alert ${dedupKey}`, chart: { png, summary: 'Lead time XmR', kind: 'xmr' }, buttons: [{ id: 'open-event-form', label: 'Log', opens: 'event-form' }] },
        },
        clock,
      );

    it('writes the nudge first, then delivers it once with the chart bytes intact', async () => {
      expect(await post('k1')).toBe(true);
      expect(await post('k1')).toBe(false); // same dedup key: not doubled
      expect((await listOutbox(store.db)).map((r) => r.state)).toEqual(['pending']);
      const slack = new RecordingDeliverer('slack');
      const worker = createOutboxWorker({ store, now });
      worker.register(slack);
      expect(await worker.runOnce()).toMatchObject([{ dedupKey: 'k1', status: 'sent' }]);
      expect(await worker.runOnce()).toEqual([]);
      expect(slack.calls).toHaveLength(1);
      expect(slack.calls[0]!.target).toEqual({ platform: 'slack', channelId: 'C1' });
      expect(slack.calls[0]!.reply.text).toBe('alert k1');
      expect(slack.calls[0]!.reply.chart!.png.equals(png)).toBe(true);
      expect(slack.calls[0]!.meta).toMatchObject({ dedupKey: 'k1', kind: 'signal', attempt: 1 });
      expect((await listOutbox(store.db))[0]).toMatchObject({ state: 'sent', sentAt: T0, attempts: 1 });
    });

    it('retries a 429 after Retry-After and a 5xx with exponential backoff, then sends', async () => {
      await post('k2');
      const slack = new RecordingDeliverer('slack').answer({ retryAfterMs: 30_000 }, { retryAfterMs: 0 }, new Error('socket hang up'));
      const worker = createOutboxWorker({ store, now, baseBackoffMs: 5_000 });
      worker.register(slack);
      expect((await worker.runOnce())[0]).toMatchObject({ status: 'retry' });
      expect((await listOutbox(store.db))[0]).toMatchObject({ state: 'pending', nextAttemptAt: T0 + 30_000 });
      clock = T0 + 29_999;
      expect(await worker.runOnce()).toEqual([]); // not due yet
      clock = T0 + 30_000;
      expect((await worker.runOnce())[0]).toMatchObject({ status: 'retry' }); // 5xx, attempt 2 → 10 s
      expect((await listOutbox(store.db))[0]!.nextAttemptAt).toBe(clock + 10_000);
      clock += 10_000;
      expect((await worker.runOnce())[0]).toMatchObject({ status: 'retry', detail: expect.stringContaining('socket hang up') }); // threw, attempt 3 → 20 s
      clock += 20_000;
      expect((await worker.runOnce())[0]).toMatchObject({ status: 'sent' });
      expect(slack.calls.map((c) => c.meta.attempt)).toEqual([1, 2, 3, 4]);
      expect((await listOutbox(store.db))[0]).toMatchObject({ state: 'sent', attempts: 4 });
    });

    it('keeps a refused nudge as failed with the reason, and gives up after maxAttempts', async () => {
      await post('refused');
      await post('flaky');
      const slack = new RecordingDeliverer('slack').answer({ failed: 'channel_not_found: invite the bot' }, { retryAfterMs: 0 }, { retryAfterMs: 0 });
      const worker = createOutboxWorker({ store, now, maxAttempts: 2, baseBackoffMs: 1_000 });
      worker.register(slack);
      await worker.runOnce();
      clock += 1_000;
      await worker.runOnce();
      const rows = await listOutbox(store.db);
      expect(rows.map((r) => [r.dedupKey, r.state])).toEqual([['refused', 'failed'], ['flaky', 'failed']]);
      expect(rows[0]!.error).toBe('channel_not_found: invite the bot');
      expect(rows[1]!.error).toMatch(/gave up after 2 attempts/);
    });

    it('delivers each platform only through its deliverer; rows of an unregistered platform wait', async () => {
      await post('s', 'slack');
      await post('t', 'teams');
      const slack = new RecordingDeliverer('slack');
      const worker = createOutboxWorker({ store, now });
      worker.register(slack);
      await worker.runOnce();
      expect(slack.calls.map((c) => c.meta.dedupKey)).toEqual(['s']);
      expect((await listOutbox(store.db, { platform: 'teams' }))[0]!.state).toBe('pending');
      expect(() => worker.register(new RecordingDeliverer('slack'))).toThrow(/registered already/);
      expect(() => worker.register(new RecordingDeliverer('irc'))).toThrow(/slack, teams or playground/);
    });

    it('two workers racing over the same rows send each row once', async () => {
      for (let i = 0; i < 30; i++) await post(`race-${i}`);
      const a = new RecordingDeliverer('slack');
      const b = new RecordingDeliverer('slack');
      const wa = createOutboxWorker({ store, now, batch: 4 });
      const wb = createOutboxWorker({ store, now, batch: 4 });
      wa.register(a);
      wb.register(b);
      await Promise.all([wa.runOnce(), wb.runOnce(), wa.runOnce(), wb.runOnce()]);
      const keys = [...a.calls, ...b.calls].map((c) => c.meta.dedupKey).sort();
      expect(keys).toEqual(Array.from({ length: 30 }, (_, i) => `race-${i}`).sort());
      expect((await listOutbox(store.db, { state: 'sent' })).length).toBe(30);
    });

    it('eight workers racing: one round of runOnce each leaves no row waiting, and none is sent twice', async () => {
      // a claim that meets rows another worker is taking must not come back short while others are
      // still due: each worker reads a short claim as "nothing more due" and stops
      for (let i = 0; i < 80; i++) await post(`crowd-${i}`);
      const deliverers = Array.from({ length: 8 }, () => new RecordingDeliverer('slack'));
      const workers = deliverers.map((d) => {
        const w = createOutboxWorker({ store, now, batch: 2, concurrency: 2 });
        w.register(d);
        return w;
      });
      await Promise.all(workers.map((w) => w.runOnce()));
      const keys = deliverers.flatMap((d) => d.calls.map((c) => c.meta.dedupKey)).sort();
      expect(keys).toEqual(Array.from({ length: 80 }, (_, i) => `crowd-${i}`).sort());
      expect((await listOutbox(store.db, { state: 'pending' })).length).toBe(0);
    });

    it('a row claimed by a worker that died is sent again after the lease (at-least-once)', async () => {
      await post('crash');
      const dead = createOutboxWorker({ store, now, leaseMs: 60_000 });
      // the "dead" worker claims the row and its send never returns (the process died)
      dead.register({ platform: 'slack', send: () => new Promise(() => {}) });
      void dead.runOnce();
      await new Promise((r) => setTimeout(r, 50));
      expect((await listOutbox(store.db))[0]!.state).toBe('sending');
      const slack = new RecordingDeliverer('slack');
      const alive = createOutboxWorker({ store, now });
      alive.register(slack);
      expect(await alive.runOnce()).toEqual([]); // lease still held
      clock += 60_000;
      expect(await alive.runOnce()).toMatchObject([{ dedupKey: 'crash', status: 'sent' }]);
      expect(slack.calls[0]!.meta).toMatchObject({ dedupKey: 'crash', attempt: 2 });
    });

    /** A deliverer of three platform calls (text, two charts) that counts each call it really makes. */
    function threeStepDeliverer(answers: Record<string, (DeliveryOutcome | 'ok')[]>): Deliverer & { made: string[] } {
      const made: string[] = [];
      return {
        platform: 'slack',
        made,
        async send(_target, _reply, meta) {
          try {
            for (const step of ['message', 'chart:0', 'chart:1']) {
              await runStep(meta, step, async () => {
                const answer = answers[step]?.shift() ?? 'ok';
                if (answer !== 'ok') throw Object.assign(new Error(`${step} refused`), { answer });
                made.push(step);
                return `${step}-id`;
              });
            }
            return 'sent';
          } catch (error) {
            return (error as { answer?: DeliveryOutcome }).answer ?? { retryAfterMs: 0 };
          }
        },
      };
    }

    it('a 429 on a later call hands the row back due at Retry-After and the retry resumes after the last finished call', async () => {
      await post('resume');
      const deliverer = threeStepDeliverer({ 'chart:1': [{ retryAfterMs: 7_000 }, { retryAfterMs: 0 }] });
      const worker = createOutboxWorker({ store, now, baseBackoffMs: 1_000 });
      worker.register(deliverer);
      expect(await worker.runOnce()).toMatchObject([{ status: 'retry' }]);
      const [row] = await listOutbox(store.db);
      expect(row).toMatchObject({ state: 'pending', nextAttemptAt: T0 + 7_000, leaseToken: null, progress: { message: 'message-id', 'chart:0': 'chart:0-id' } });
      clock = T0 + 7_000;
      expect(await worker.runOnce()).toMatchObject([{ status: 'retry' }]); // a 5xx on the same call: second attempt since progress, 2 s
      clock += 2_000;
      expect(await worker.runOnce()).toMatchObject([{ status: 'sent' }]);
      expect(deliverer.made).toEqual(['message', 'chart:0', 'chart:1']); // each call once
      expect((await listOutbox(store.db))[0]).toMatchObject({ state: 'sent', progress: { message: 'message-id', 'chart:0': 'chart:0-id', 'chart:1': 'chart:1-id' } });
    });

    it('only the holder of the lease may record a step or mark the row: a worker whose lease was taken over writes nothing', async () => {
      await post('lease');
      const [first] = await claimDueOutbox(store.db, { now: T0, limit: 1, leaseMs: 1_000, platforms: ['slack'] });
      const [second] = await claimDueOutbox(store.db, { now: T0 + 1_000, limit: 1, leaseMs: 60_000, platforms: ['slack'] });
      expect(second!.leaseToken).not.toBe(first!.leaseToken);
      expect(await recordOutboxStep(store.db, { id: first!.id, leaseToken: first!.leaseToken! }, { message: 'late' }, T0 + 90_000)).toBe(false);
      expect(await markOutboxSent(store.db, { id: first!.id, leaseToken: first!.leaseToken! }, T0 + 1_500)).toBe(false);
      expect((await listOutbox(store.db))[0]).toMatchObject({ state: 'sending', leaseToken: second!.leaseToken, progress: {}, nextAttemptAt: T0 + 61_000 });
      expect(await markOutboxSent(store.db, { id: second!.id, leaseToken: second!.leaseToken! }, T0 + 2_000)).toBe(true);
      expect((await listOutbox(store.db))[0]).toMatchObject({ state: 'sent', leaseToken: null });
    });

    it('a send that outlasts the lease keeps its row: the lease is renewed while it sends, so a second worker does not take it', async () => {
      await post('slow');
      let release!: () => void;
      const slowCalls: string[] = [];
      const slow: Deliverer = {
        platform: 'slack',
        async send(_t, _r, meta) {
          slowCalls.push(meta.dedupKey);
          await new Promise<void>((resolve) => (release = resolve));
          return 'sent';
        },
      };
      const other = new RecordingDeliverer('slack');
      const a = createOutboxWorker({ store, leaseMs: 150 });
      const b = createOutboxWorker({ store, leaseMs: 150 });
      a.register(slow);
      b.register(other);
      const sending = a.runOnce();
      for (let i = 0; i < 8; i++) {
        await new Promise((r) => setTimeout(r, 100)); // 800 ms: five leases long
        await b.runOnce();
      }
      release();
      expect(await sending).toMatchObject([{ dedupKey: 'slow', status: 'sent' }]);
      expect(other.calls).toEqual([]);
      expect(slowCalls).toEqual(['slow']);
    });

    it('stop() lets the call in flight finish, starts no further call, and hands the row back with its finished step', async () => {
      await post('stopping');
      await post('waiting');
      let answer!: () => void;
      const calls: string[] = [];
      const twoSteps: Deliverer = {
        platform: 'slack',
        async send(_t, _r, meta) {
          await runStep(meta, 'message', async () => {
            calls.push(`${meta.dedupKey}:message`);
            if (meta.dedupKey === 'stopping') await new Promise<void>((resolve) => (answer = resolve));
            return 'ts-1';
          });
          await runStep(meta, 'chart:0', async () => {
            calls.push(`${meta.dedupKey}:chart`);
            return 'F1';
          });
          return 'sent';
        },
      };
      const a = createOutboxWorker({ store, now, concurrency: 1 });
      a.register(twoSteps);
      const sending = a.runOnce();
      while (calls.length === 0) await new Promise((r) => setTimeout(r, 5));
      const stopped = a.stop();
      answer();
      await stopped;
      expect(await sending).toMatchObject([{ dedupKey: 'stopping', status: 'released' }]);
      expect(calls).toEqual(['stopping:message']); // no chart call, no second row claimed
      const rows = await listOutbox(store.db);
      expect(rows.map((r) => [r.dedupKey, r.state, r.leaseToken, r.nextAttemptAt <= clock, r.progress])).toEqual([
        ['stopping', 'pending', null, true, { message: 'ts-1' }],
        ['waiting', 'pending', null, true, {}],
      ]);
      // another worker resumes after the finished step: the message is not posted again
      const b = createOutboxWorker({ store, now, concurrency: 1 });
      b.register(twoSteps);
      expect((await b.runOnce()).map((r) => [r.dedupKey, r.status])).toEqual([['stopping', 'sent'], ['waiting', 'sent']]);
      expect(calls).toEqual(['stopping:message', 'stopping:chart', 'waiting:message', 'waiting:chart']);
    });

    it('a send that outlives the stop grace is handed back by its own token; a row another worker holds is left alone', async () => {
      await post('other');
      await post('mine');
      let answer!: () => void;
      const hanging: Deliverer = {
        platform: 'slack',
        async send(_t, _r, meta) {
          return runStep(meta, 'message', async () => {
            await new Promise<void>((resolve) => (answer = resolve));
            return 'late-ts';
          }).then(() => 'sent' as const);
        },
      };
      const [theirs] = await claimDueOutbox(store.db, { now: clock, limit: 1, leaseMs: 60_000, platforms: ['slack'] });
      expect(theirs!.dedupKey).toBe('other'); // held by another process; this worker takes 'mine'
      const a = createOutboxWorker({ store, now, stopGraceMs: 100 });
      a.register(hanging);
      const sending = a.runOnce();
      while (!answer) await new Promise((r) => setTimeout(r, 5));
      const started = Date.now();
      await a.stop();
      expect(Date.now() - started).toBeGreaterThanOrEqual(90);
      expect(Date.now() - started).toBeLessThan(2_000);
      const byKey = Object.fromEntries((await listOutbox(store.db)).map((r) => [r.dedupKey, r]));
      expect(byKey.mine).toMatchObject({ state: 'pending', leaseToken: null, progress: {} }); // ours: handed back
      expect(byKey.other).toMatchObject({ state: 'sending', leaseToken: theirs!.leaseToken }); // the other holder's: untouched
      // the late answer can no longer be recorded: the row is not ours any more
      answer();
      expect(await sending).toMatchObject([{ dedupKey: 'mine', status: 'lost' }]);
      expect((await listOutbox(store.db)).find((r) => r.dedupKey === 'mine')).toMatchObject({ state: 'pending', leaseToken: null, progress: {} });
    });

    it('the background loop delivers a nudge soon after wake()', async () => {
      const slack = new RecordingDeliverer('slack');
      const worker = createOutboxWorker({ store, pollMs: 10_000 });
      worker.register(slack);
      worker.start();
      await new Promise((r) => setTimeout(r, 100));
      await postNudge({ store, charts: null, onEnqueued: () => worker.wake() }, { kind: 'aging', target: { platform: 'slack', channelId: 'C9' }, dedupKey: 'loop', message: { text: 'aging' } }, Date.now());
      for (let i = 0; i < 50 && slack.calls.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      await worker.stop();
      expect(slack.calls.map((c) => c.reply.text)).toEqual(['aging']);
    });
  });
}
