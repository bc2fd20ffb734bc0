/**
 * The aging alert (each item flagged once per threshold, one message per channel with the aging
 * chart, items and never people) and the experiment review on its date (before/after limits).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { agingJob, experimentReviewJob } from '../../src/jobs/nudge-jobs.ts';
import { createJobRunner } from '../../src/jobs/run-due-jobs.ts';
import { createNudgeCharts } from '../../src/nudges/nudge-charts.ts';
import { parseNudge } from '../../src/nudges/nudge-payload.ts';
import { loadDemo } from '../../src/demo/load-demo.ts';
import { bindChannel } from '../../src/store/channel-bindings.ts';
import type { Store } from '../../src/store/database.ts';
import { startExperiment } from '../../src/store/experiments.ts';
import { addFlowEvent } from '../../src/store/flow-events.ts';
import { listOutbox } from '../../src/store/outbox.ts';
import { openTestStore, testDialects } from '../support/databases.ts';
import { useChartRenderer } from '../support/chart-renderer.ts';

const charts = useChartRenderer();

const DAY = 86_400_000;

for (const dialect of testDialects()) {
  describe(`aging alert and experiment review (${dialect})`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await openTestStore(dialect);
    });
    afterEach(async () => store.close());

    it('flags each aging item once per threshold, in one message per day with the aging chart', async () => {
      const loaded = Date.parse('2026-10-16T12:00:00Z');
      const { streamId } = await loadDemo(store, { now: loaded });
      await bindChannel(store.db, { platform: 'slack', channelId: 'C1', streamId }, loaded);
      const runner = createJobRunner({ store, charts: createNudgeCharts(charts), replicaId: 'r' }, [agingJob]);
      // 09:00 Berlin each day; nothing new happens, so items only grow older
      for (let t = Date.parse('2026-10-17T07:00:00Z'); t < Date.parse('2026-11-06T07:00:00Z'); t += DAY) await runner.runDueJobs(t);
      const rows = await listOutbox(store.db, { kind: 'aging' });
      expect(rows.length).toBeGreaterThan(1);
      const flagged: string[] = [];
      for (const row of rows) {
        const message = parseNudge(row.payloadJson);
        expect(message.text).toMatch(/^Aging work in demo: \d+ items? crossed a percentile of recent cycle time since the last check\.$/);
        expect(message.chart?.kind).toBe('aging');
        for (const section of message.sections!.filter((s) => s.title?.startsWith('Older than'))) {
          const threshold = /95%/.test(section.title!) ? '95' : '85';
          for (const line of section.text!.split('\n')) {
            expect(line).toMatch(/^DEMO-\d+ .+ — \d+ days, in [A-Za-z ]+$/);
            flagged.push(`${line.split(' ')[0]}:${threshold}`);
          }
        }
      }
      expect(new Set(flagged).size).toBe(flagged.length); // never twice for the same item and threshold
      expect(flagged.some((f) => f.endsWith(':95'))).toBe(true);
      expect(rows.map((r) => JSON.parse(r.target))).toEqual(rows.map(() => ({ platform: 'slack', channelId: 'C1' })));
    }, 120_000);

    it('reviews the open experiment on its review date: limits before and after, and whether a signal appeared', async () => {
      const end = Date.parse('2026-11-24T12:00:00Z');
      const { streamId } = await loadDemo(store, { now: end });
      await bindChannel(store.db, { platform: 'teams', channelId: '19:x@thread.tacv2', streamId }, end);
      const started = Date.parse('2026-08-25T08:00:00Z');
      // the demo's WIP limit, run as an experiment with a review date
      await startExperiment(store.db, { streamId, policy: 'WIP limit 3 in Code review', measure: 'leadtime', reviewOn: '2026-11-24', startedAt: started });
      await addFlowEvent(store.db, streamId, { at: started + 1, text: 'Experiment started: WIP limit 3 in Code review', kind: 'experiment' }, started);
      const runner = createJobRunner({ store, charts: null, replicaId: 'r' }, [experimentReviewJob]);
      expect(await runner.runDueJobs(Date.parse('2026-11-23T12:00:00Z'))).toEqual([]);
      expect(await runner.runDueJobs(Date.parse('2026-11-24T07:00:00Z'))).toEqual([]); // 08:00 Berlin: before 09:00
      await runner.runDueJobs(Date.parse('2026-11-24T08:05:00Z'));
      await runner.runDueJobs(Date.parse('2026-11-25T08:05:00Z'));
      const rows = await listOutbox(store.db, { kind: 'experiment-review' });
      expect(rows).toHaveLength(1);
      const review = parseNudge(rows[0]!.payloadJson);
      expect(review.text).toMatch(
        /^Review of the experiment "WIP limit 3 in Code review" in demo \(since 25 Aug, measure: leadtime\)\. It moved the right way: lead time lower than routine variation before the change allows \(lower is better\) — below: .+ Lead time averages [\d.]+ days over the \d+ points since, against [\d.]+ over the \d+ before \(geometric means\)\. Keep the policy\.$/,
      );
      const fields = review.sections![0]!.fields!;
      expect(fields.map((f) => f.label)).toEqual(['Before (Lead time)', 'Since 25 Aug', 'Signal since the change']);
      expect(fields[0]!.value).toMatch(/^average [\d.]+ days, limits [\d.]+–[\d.]+ \(\d+ points\)$/);
      expect(fields[1]!.value).toMatch(/^average [\d.]+ days, limits [\d.]+–[\d.]+ \(\d+ points\)$/);
      expect(fields[2]!.value).toMatch(/^below: .*Run of 8 on one side.* \(\d+ points\)/);
    }, 120_000);
  });
}
