/**
 * The weekly check-in, driven by the job runner with a fake clock (no sleeping): it fires at
 * the channel's local day and time across a daylight-saving change, once per week, and its
 * agenda has every section, adding up to 15 minutes, with the charts attached.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkinJob } from '../../src/jobs/nudge-jobs.ts';
import { createJobRunner } from '../../src/jobs/run-due-jobs.ts';
import { loadDemo } from '../../src/demo/load-demo.ts';
import { checkinCommand } from '../../src/commands/handlers/checkin.ts';
import { createNudgeCharts } from '../../src/nudges/nudge-charts.ts';
import { parseNudge } from '../../src/nudges/nudge-payload.ts';
import { bindChannel } from '../../src/store/channel-bindings.ts';
import type { Store } from '../../src/store/database.ts';
import { listOutbox } from '../../src/store/outbox.ts';
import { openTestStore, testDialects } from '../support/databases.ts';
import { useChartRenderer } from '../support/chart-renderer.ts';

const charts = useChartRenderer();

const MIN = 60_000;

for (const dialect of testDialects()) {
  describe(`weekly check-in (${dialect})`, () => {
    let store: Store;
    let streamId: number;
    beforeEach(async () => {
      store = await openTestStore(dialect);
      streamId = (await loadDemo(store, { now: Date.parse('2026-10-16T12:00:00Z') })).streamId;
    });
    afterEach(async () => store.close());

    it('fires Monday 09:30 Berlin time before and after the clocks go back, and at a channel\'s own day, time and zone', async () => {
      const from = Date.parse('2026-10-17T00:00:00Z');
      const to = Date.parse('2026-11-07T00:00:00Z');
      await bindChannel(store.db, { platform: 'slack', channelId: 'C-BERLIN', streamId }, from);
      await bindChannel(store.db, { platform: 'teams', channelId: '19:ny@thread.tacv2', streamId }, from);
      const set = await checkinCommand(
        { store, charts, platform: 'teams', channelId: '19:ny@thread.tacv2', userId: 'u1', now: from },
        'thu 16:00 America/New_York',
      );
      expect(set.text).toBe('Weekly check-in set: Thursdays at 16:00 (America/New_York). The first one is Thursday 22 Oct, 16:00 EDT: 15 minutes, five sections of 3.');
      const runner = createJobRunner({ store, charts: createNudgeCharts(charts), replicaId: 'test' }, [checkinJob]);
      for (let t = from; t < to; t += 5 * MIN) await runner.runDueJobs(t);
      const rows = await listOutbox(store.db, { kind: 'checkin' });
      expect(rows.map((r) => [JSON.parse(r.target).channelId, new Date(r.createdAt).toISOString()])).toEqual([
        ['C-BERLIN', '2026-10-19T07:30:00.000Z'], // 09:30 CEST
        ['19:ny@thread.tacv2', '2026-10-22T20:00:00.000Z'], // 16:00 EDT
        ['C-BERLIN', '2026-10-26T08:30:00.000Z'], // 09:30 CET, the day after the change
        ['19:ny@thread.tacv2', '2026-10-29T20:00:00.000Z'], // New York changes a week later
        ['C-BERLIN', '2026-11-02T08:30:00.000Z'],
        ['19:ny@thread.tacv2', '2026-11-05T21:00:00.000Z'], // 16:00 EST
      ]);
      expect(rows.map((r) => r.dedupKey)).toContain('checkin:slack:C-BERLIN:2026-W44');

      const agenda = parseNudge(rows[2]!.payloadJson);
      expect(agenda.text).toMatch(/^Weekly check-in for demo — 15 minutes/);
      expect(agenda.sections!.map((s) => s.title)).toEqual([
        'Signals since last week · 3 min',
        'Aging work · 3 min',
        'The constraint and its trend · 3 min',
        'The experiment · 3 min',
        'Events and outcomes · 3 min',
      ]);
      const minutes = agenda.sections!.map((s) => Number(/· (\d+) min$/.exec(s.title!)![1]));
      expect(minutes.reduce((a, b) => a + b, 0)).toBe(15);
      expect(agenda.sections![2]!.text).toMatch(/^Most waiting happens in Ready for dev: \d+% of all wait time \(last 30 days\) — (up|down) from \d+% the 30 days before/);
      expect(agenda.sections![4]!.text).toMatch(/Feature Factory Ratio \d+%: \d+ of \d+ epics have no anticipated outcome/);
      expect(agenda.chart?.kind).toBe('xmr');
      expect(agenda.moreCharts?.map((c) => c.kind)).toEqual(['aging']);
    }, 240_000);

    it('/flow checkin now answers with the agenda; bad input names the fix', async () => {
      const now = Date.parse('2026-10-16T12:00:00Z');
      await bindChannel(store.db, { platform: 'slack', channelId: 'C1', streamId }, now);
      const ctx = { store, charts, platform: 'slack' as const, channelId: 'C1', userId: 'U1', now };
      const agenda = await checkinCommand(ctx, 'now');
      expect(agenda.sections).toHaveLength(5);
      expect(agenda.ephemeral).toBeUndefined();
      expect((await checkinCommand(ctx, '')).text).toBe('Weekly check-in: Mondays at 09:30 (Europe/Berlin); next Monday 19 Oct, 09:30 GMT+2.');
      expect((await checkinCommand(ctx, 'someday 09:30')).text).toMatch(/"someday" is not a day: use monday … sunday/);
      expect((await checkinCommand(ctx, 'monday 25:00')).text).toMatch(/The time is HH:MM on a 24-hour clock/);
      expect((await checkinCommand(ctx, 'monday 09:00 Mars/Base')).text).toMatch(/"Mars\/Base" is not a time zone/);
      expect((await checkinCommand(ctx, 'off')).text).toMatch(/is off/);
      const runner = createJobRunner({ store, charts: null, replicaId: 'test' }, [checkinJob]);
      expect(await runner.runDueJobs(Date.parse('2026-10-19T07:45:00Z'))).toEqual([]);
      expect((await checkinCommand({ ...ctx, channelId: 'C-unbound' }, 'now')).error?.code).toBe('channel-not-bound');
    }, 60_000);
  });
}
