/**
 * The XmR signal alert, driven with a fake clock on the real store (SQLite and Postgres):
 * the demo stream's policy change gives exactly the expected alert, once; a stable simulated
 * process stays quiet over a quarter; a newly bound channel is not flooded with history.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bindChannel } from '../../src/store/channel-bindings.ts';
import type { Store } from '../../src/store/database.ts';
import { listOutbox } from '../../src/store/outbox.ts';
import { saveStream } from '../../src/store/value-streams.ts';
import { importWorkItems } from '../../src/store/work-items.ts';
import { createNudgeCharts } from '../../src/nudges/nudge-charts.ts';
import { createOutboxWorker } from '../../src/nudges/outbox-worker.ts';
import { checkSignals } from '../../src/nudges/signal-alert.ts';
import { generateStableStream, SIM_MAP, simulateStream } from '../../scripts/simulate-nudges.ts';
import { openTestStore, testDialects } from '../support/databases.ts';
import { DAY, startDemoReplay } from './support/demo-replay.ts';
import { RecordingDeliverer } from './support/recording-deliverer.ts';
import { useChartRenderer } from '../support/chart-renderer.ts';

const charts = useChartRenderer();

const END = Date.UTC(2026, 10, 24, 12);

for (const dialect of testDialects()) {
  describe(`signal alert (${dialect})`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await openTestStore(dialect);
    });
    afterEach(async () => store.close());

    it("the demo's policy change posts one alert, once, in plain words with the XmR chart", async () => {
      const replay = await startDemoReplay(store, END);
      const policy = replay.demo.events[0]!;
      let t = policy.at - 20 * DAY;
      await replay.advanceTo(t);
      await bindChannel(store.db, { platform: 'slack', channelId: 'C-TEAM', streamId: replay.streamId }, t);
      const ctx = { store, charts: createNudgeCharts(charts) };
      const first = (await checkSignals(ctx, t)).flatMap((r) => r.posts);
      // a newly bound channel hears at most the most recent signal of its history
      expect(first.length).toBeLessThanOrEqual(1);
      const later = [];
      for (t += DAY; t <= END; t += DAY) {
        await replay.advanceTo(t);
        for (const post of (await checkSignals(ctx, t)).flatMap((r) => r.posts)) later.push({ at: t, ...post });
      }
      expect(later.map((p) => [new Date(p.at).toISOString().slice(0, 10), p.identity])).toEqual([
        ['2026-09-05', `leadtime:e${policy.at}:below:run-of-8:DEMO-447`],
      ]);
      expect(later[0]!.text).toMatch(
        /^Lead time: \d+ finished items in a row below the average of 16\.3 days \(geometric mean\) since the policy change 'WIP limit 3 in Code review' on 25 Aug\.\nPoints: DEMO-447, .*\. Signal since 1 Sep\.\nSomething changed — what\?/,
      );
      const slack = new RecordingDeliverer('slack');
      const worker = createOutboxWorker({ store, now: () => END });
      worker.register(slack);
      await worker.runOnce();
      const alert = slack.calls.find((c) => c.meta.dedupKey.endsWith('run-of-8:DEMO-447'))!;
      expect(alert.target).toEqual({ platform: 'slack', channelId: 'C-TEAM' });
      expect(alert.reply.chart?.kind).toBe('xmr');
      expect(alert.reply.chart!.png.subarray(1, 4).toString()).toBe('PNG');
      expect(alert.reply.buttons).toEqual([{ id: 'open-event-form', label: 'Log what changed', opens: 'event-form' }]);
      expect(slack.calls).toHaveLength(first.length + 1);
    }, 180_000);

    it('on stored streams, decides exactly as the simulation whose false-alarm figures the README gives (the first three seeds, not chosen)', async () => {
      // the same stream, the same check times (every morning and at each finish in the quarter):
      // the stored path (checkSignals, nudge_sent) posts what the in-memory simulation posts
      const start = Date.UTC(2026, 0, 5);
      const span = { boundAt: start + 30 * DAY, quarterStart: start + 120 * DAY, quarterEnd: start + 211 * DAY };
      const counts: number[] = [];
      for (const seed of [1, 2, 3]) {
        const items = generateStableStream({ seed, start, days: 211 });
        const expected = simulateStream(items, span).alerts.map((a) => [a.at, a.series]);
        const streamId = await saveStream(store.db, { ...SIM_MAP, name: `stable-${seed}` });
        await importWorkItems(store, streamId, items, { source: 'import' });
        await bindChannel(store.db, { platform: 'teams', channelId: `19:stable-${seed}@thread.tacv2`, streamId }, span.boundAt);
        const checks = new Set<number>();
        for (let t = span.boundAt; t < span.quarterEnd; t += DAY) checks.add(t + 7 * 3_600_000);
        for (const item of items) {
          const done = item.transitions.at(-1)!;
          if (done.to === 'Done' && done.at >= span.quarterStart && done.at < span.quarterEnd) checks.add(done.at);
        }
        const posted: [number, string][] = [];
        for (const t of [...checks].sort((a, b) => a - b)) {
          for (const result of await checkSignals({ store, charts: null }, t)) {
            if (result.stream !== `stable-${seed}`) continue;
            for (const post of result.posts) if (t >= span.quarterStart) posted.push([t, post.series]);
          }
        }
        counts.push(expected.length);
        expect(posted, `seed ${seed}`).toEqual(expected);
      }
      // the comparison means something only if some of these streams do alert
      expect(counts.some((n) => n > 0)).toBe(true);
    }, 180_000);

    it('a newly bound channel hears only the most recent signal of its history, then only new ones', async () => {
      // 31 Oct: the demo's last run below the average (since the policy change) ended the day before
      const at = Date.UTC(2026, 9, 31, 12);
      const replay = await startDemoReplay(store, END);
      await replay.advanceTo(at);
      await bindChannel(store.db, { platform: 'slack', channelId: 'C-NEW', streamId: replay.streamId }, at);
      const ctx = { store, charts: null };
      const first = (await checkSignals(ctx, at)).flatMap((r) => r.posts);
      // that run is within 14 days: it alone is posted, not the many signals before it
      expect(first.map((p) => p.identity)).toEqual([expect.stringMatching(/^leadtime:e\d+:below:run-of-8:/)]);
      expect((await checkSignals(ctx, at + 3_600_000)).flatMap((r) => r.posts)).toEqual([]);
      expect((await listOutbox(store.db)).map((r) => r.kind)).toEqual(['signal']);
      // a second channel bound later hears the same most recent signal, once, on its own first check
      await bindChannel(store.db, { platform: 'slack', channelId: 'C-LATE', streamId: replay.streamId }, at + 3_600_000);
      const late = (await checkSignals(ctx, at + 2 * 3_600_000)).flatMap((r) => r.posts);
      expect(late.filter((p) => p.channel === 'slack:C-LATE')).toHaveLength(1);
      // bound on 24 Nov, a channel hears nothing: the last run ended more than 14 days before
      await replay.advanceTo(END);
      await bindChannel(store.db, { platform: 'slack', channelId: 'C-NOV', streamId: replay.streamId }, END);
      const nov = (await checkSignals(ctx, END)).flatMap((r) => r.posts);
      expect(nov.filter((p) => p.channel === 'slack:C-NOV')).toEqual([]);
    }, 60_000);
  });
}
