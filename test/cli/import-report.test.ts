import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import { freshDatabaseUrl, runCliInProcess as runCli } from './support/run-cli.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/import/${name}`, import.meta.url));

describe('flow-nudge import and report', async () => {
  let env: Record<string, string>;
  beforeEach(() => {
    env = { DATABASE_URL: freshDatabaseUrl() };
  });

  const importHistory = () => runCli(['import', fixture('history.csv'), '--stream', 'checkout', '--workflow', fixture('checkout.yaml'), '--json'], { env });
  const leadTime = () => runCli(['report', 'leadtime', '--stream', 'checkout', '--from', '2026-01-01', '--to', '2026-02-01', '--json'], { env });

  it('imports a transitions CSV once; the second import adds nothing', async () => {
    const first = await importHistory();
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ stream: 'checkout', format: 'transitions-csv', items: 3, itemsAdded: 3, transitionsAdded: 6 });
    const second = await importHistory();
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ itemsAdded: 0, transitionsAdded: 0 });
  });

  it('reports lead and cycle time in calendar-inclusive days of the stream time zone, in the documented shape', async () => {
    await importHistory();
    const lead = await leadTime();
    expect(lead.code).toBe(0);
    const report = JSON.parse(lead.stdout);
    expect(Object.keys(report)).toEqual(['stream', 'metric', 'days', 'count', 'percentiles', 'items']);
    // CHK-1: created 5 Jan 09:00Z, done 9 Jan 16:00Z → 5 calendar days in Berlin; CHK-2 is not done.
    expect(report).toEqual({
      stream: 'checkout',
      metric: 'leadtime',
      days: 'calendar',
      count: 1,
      percentiles: { '50': 5, '70': 5, '85': 5, '95': 5 },
      items: [{ key: 'CHK-1', start: '2026-01-05T09:00:00.000Z', end: '2026-01-09T16:00:00.000Z', days: 5 }],
    });
    const cycle = JSON.parse((await runCli(['report', 'cycletime', '--stream', 'checkout', '--from', '2026-01-01', '--to', '2026-02-01', '--json'], { env })).stdout);
    expect(cycle.items).toEqual([{ key: 'CHK-1', start: '2026-01-06T10:00:00.000Z', end: '2026-01-09T16:00:00.000Z', days: 4 }]);
    const elapsed = JSON.parse((await runCli(['report', 'cycletime', '--stream', 'checkout', '--from', '2026-01-01', '--to', '2026-02-01', '--days', 'elapsed', '--json'], { env })).stdout);
    expect(elapsed.items[0].days).toBeCloseTo(3.25, 10);
  });

  it("reads a plain --from/--to date as midnight in the stream's time zone, as the charts do", async () => {
    // done at 23:30Z on 9 Jan = 00:30 on 10 Jan in Berlin, the stream's zone
    const dir = mkdtempSync(join(tmpdir(), 'flow-nudge-report-'));
    const csv = join(dir, 'late.csv');
    writeFileSync(csv, ['key,type,title,parent,created_at,from_status,to_status,at', 'LATE-1,feature,Late,,2026-01-05T09:00:00Z,Backlog,Done,2026-01-09T23:30:00Z'].join('\n'));
    expect((await runCli(['import', csv, '--stream', 'checkout', '--workflow', fixture('checkout.yaml')], { env })).code).toBe(0);
    const keys = async (from: string, to: string) => JSON.parse((await runCli(['report', 'leadtime', '--stream', 'checkout', '--from', from, '--to', to, '--json'], { env })).stdout).items.map((i: { key: string }) => i.key);
    expect(await keys('2026-01-10', '2026-01-11')).toEqual(['LATE-1']);
    expect(await keys('2026-01-09', '2026-01-10')).toEqual([]);
    // a full time is an instant, whatever the zone
    expect(await keys('2026-01-09T00:00:00Z', '2026-01-10T00:00:00Z')).toEqual(['LATE-1']);
    const throughput = JSON.parse((await runCli(['report', 'throughput', '--stream', 'checkout', '--from', '2026-01-10', '--to', '2026-01-11', '--json'], { env })).stdout);
    expect(throughput.from).toBe('2026-01-09T23:00:00.000Z');
  });

  it('refuses a file with bad rows: line numbers, exit 2, nothing imported', async () => {
    const run = await runCli(['import', fixture('bad-rows.csv'), '--stream', 'checkout', '--workflow', fixture('checkout.yaml')], { env });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('line 3');
    expect(run.stderr).toContain('line 5');
    expect(run.stderr).toContain('nothing was imported');
    const report = await runCli(['report', 'leadtime', '--stream', 'checkout', '--json'], { env });
    expect(report.code).toBe(2);
    expect(report.stderr).toContain('stream "checkout" does not exist');
  });

  it('refuses a status the map does not name, with the fix, and changes nothing', async () => {
    await importHistory();
    const run = await runCli(['import', fixture('unknown-status.csv'), '--stream', 'checkout', '--workflow', fixture('checkout.yaml')], { env });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("add 'QA Ready' to a stage in checkout.yaml");
    expect(JSON.parse((await leadTime()).stdout).count).toBe(1);
  });

  it('refuses a bad map with the reason', async () => {
    const run = await runCli(['import', fixture('history.csv'), '--stream', 'checkout', '--workflow', fixture('no-done.yaml')], { env });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no stage of kind done/);
  });

  it('refuses an unknown metric, listing the metrics', async () => {
    await importHistory();
    const run = await runCli(['report', 'velocity', '--stream', 'checkout'], { env });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('use one of leadtime, cycletime, throughput');
  });

  it('logs events and lists them', async () => {
    await importHistory();
    expect((await runCli(['event', 'add', '--stream', 'checkout', '--at', '2026-01-07', 'WIP limit 3 in Code review'], { env })).code).toBe(0);
    const list = await runCli(['event', 'list', '--stream', 'checkout', '--json'], { env });
    // a plain date is midnight in the stream's zone (Europe/Berlin), as in chat and charts
    expect(JSON.parse(list.stdout)).toEqual([{ at: '2026-01-06T23:00:00.000Z', text: 'WIP limit 3 in Code review', kind: 'policy' }]);
    expect((await runCli(['event', 'list', '--stream', 'checkout'], { env })).stdout).toContain('2026-01-07  policy');
  });
});

describe('flow-nudge demo, reports and forecast', async () => {
  const env = { DATABASE_URL: freshDatabaseUrl() };

  it('loads the demo stream and every report has something to show', async () => {
    const demo = await runCli(['demo', '--json'], { env });
    expect(demo.code).toBe(0);
    expect(JSON.parse(demo.stdout).items).toBeGreaterThan(300);
    // Over the year, reviews are where work waits; in the last 90 days, after the WIP limit in
    // Code review, the constraint has moved on.
    const yearAgo = new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10);
    const stages = JSON.parse((await runCli(['report', 'stages', '--stream', 'demo', '--from', yearAgo, '--json'], { env })).stdout);
    expect(stages.constraint.stage).toBe('Code review');
    expect(stages.constraint.sentence).toMatch(/^Most waiting happens in Code review: \d+% of all wait time$/);
    const recent = JSON.parse((await runCli(['report', 'stages', '--stream', 'demo', '--json'], { env })).stdout);
    expect(recent.constraint.stage).not.toBe('Code review');
    for (const metric of ['throughput', 'wip', 'arrivals', 'efficiency', 'aging', 'distribution', 'ffr', 'littles-law']) {
      const run = await runCli(['report', metric, '--stream', 'demo', '--json'], { env });
      expect(run.code, `${metric}: ${run.stderr}`).toBe(0);
      expect(JSON.parse(run.stdout).metric).toBe(metric);
    }
    const ffr = JSON.parse((await runCli(['report', 'ffr', '--stream', 'demo', '--json'], { env })).stdout);
    expect(ffr.epics).toBe(12);
    expect(ffr.withoutOutcome).toBe(4);
    expect(ffr.ratio).toBeCloseTo(33.33, 1);
  });

  it('forecasts repeatably with a seed, in the documented shape', async () => {
    const first = await runCli(['forecast', '--stream', 'demo', '--days', '14', '--seed', '42', '--json'], { env });
    expect(first.code).toBe(0);
    const howMany = JSON.parse(first.stdout);
    expect(Object.keys(howMany)).toEqual(['days', 'howMany', 'stability']);
    // the stability verdict: weekly throughput of the sampling window read on its XmR chart
    expect(Object.keys(howMany.stability)).toEqual(['verdict', 'weeksRead', 'phaseWeeks', 'signal', 'sampleDays', 'sentence']);
    expect(['stable', 'shift', 'too-short', 'unsettled']).toContain(howMany.stability.verdict);
    expect(howMany.stability.sentence).toMatch(/^Throughput has been predictable for the last \d+ weeks \(no signal\)\.$|Throughput shifted on|Too little stable history|Too little history to say/);
    expect(howMany.days).toBe(14);
    expect(howMany.howMany['50']).toBeGreaterThanOrEqual(howMany.howMany['85']);
    expect(howMany.howMany['85']).toBeGreaterThanOrEqual(howMany.howMany['95']);
    expect((await runCli(['forecast', '--stream', 'demo', '--days', '14', '--seed', '42', '--json'], { env })).stdout).toBe(first.stdout);
    const when = JSON.parse((await runCli(['forecast', '--stream', 'demo', '--items', '30', '--seed', '1', '--json'], { env })).stdout);
    expect(when.items).toBe(30);
    expect(when.stability.sentence).toBe(howMany.stability.sentence);
    expect(when.when['50']).toBeLessThanOrEqual(when.when['85']);
    expect(when.when['85']).toBeLessThanOrEqual(when.when['95']);
    const both = await runCli(['forecast', '--stream', 'demo', '--days', '3', '--items', '3'], { env });
    expect(both.code).toBe(2);
  });
});
