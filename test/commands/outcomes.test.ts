import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand, type CommandContext } from '../../src/commands/index.ts';
import { checkinCommand } from '../../src/commands/handlers/checkin.ts';
import { loadDemo } from '../../src/demo/load-demo.ts';
import type { Store } from '../../src/store/database.ts';
import { getStream } from '../../src/store/value-streams.ts';
import { getWorkItem, setActualOutcome, setAnticipatedOutcome } from '../../src/store/work-items.ts';
import { openTestStore, testDialects } from '../support/databases.ts';
import { useChartRenderer } from '../support/chart-renderer.ts';

const charts = useChartRenderer();

const NOW = Date.UTC(2026, 10, 24, 12);

describe.each(testDialects())('/flow outcomes on the demo stream (%s)', (dialect) => {
  let store: Store;
  let ctx: CommandContext;

  beforeAll(async () => {
    store = await openTestStore(dialect);
    await loadDemo(store, { now: NOW });
    ctx = { store, charts, platform: 'slack', channelId: 'C-OUTCOMES', teamId: 'T1', userId: 'U1', now: NOW };
    await runCommand(ctx, 'bind demo');
  });
  afterAll(async () => {
    await store.close();
  });

  it('answers with the percentiles of creation → recorded review, in Berlin calendar days', async () => {
    const reply = await runCommand(ctx, 'outcomes');
    // Reviewed epics (created → review, Europe/Berlin, inclusive):
    // E1 25 Sep 2025 → 5 Feb: 6 + 123 + 5 = 134; E2 30 Oct → 10 Apr: 2 + 151 + 10 = 163;
    // E3 4 Dec → 30 Apr: 28 + 90 + 30 = 148; E4 9 Jan → 25 May: 23 + 89 + 25 = 137;
    // E5 13 Feb → 27 Jul: 16 + 122 + 27 = 165; E7 25 Apr → 7 Sep: 6 + 123 + 7 = 136.
    // Sorted 134 136 137 148 163 165: p50 rank 3 = 137, p70 rank 5 = 163, p85 and p95 rank 6 = 165.
    expect(reply.text).toBe(
      'Time to outcome of demo: from creating an epic to learning whether it delivered what it anticipated takes 137 days or less for half of the epics ' +
        '(70%: 163, 85%: 165, 95%: 165 days; 6 epics reviewed). 2 closed epics are not yet learned (no actual outcome recorded).',
    );
    expect(reply.sections![0]!.fields).toEqual([
      { label: '50%', value: '137 days' },
      { label: '70%', value: '163 days' },
      { label: '85%', value: '165 days' },
      { label: '95%', value: '165 days' },
    ]);
  });

  it('shows anticipated beside actual for the latest reviews, and lists what is not yet learned', async () => {
    const reply = await runCommand(ctx, 'outcomes');
    const titles = reply.sections!.map((s) => s.title ?? '');
    // the latest five reviews, newest first
    expect(titles.slice(1, 6)).toEqual([
      'DEMO-E7 Accessibility pass · learned in 136 days (7 Sep)',
      'DEMO-E5 Marketplace sellers · learned in 165 days (27 Jul)',
      'DEMO-E4 Checkout reliability · learned in 137 days (25 May)',
      'DEMO-E3 Loyalty programme · learned in 148 days (30 Apr)',
      'DEMO-E2 Mobile wallet payments · learned in 163 days (10 Apr)',
    ]);
    expect(reply.sections![2]!.fields).toEqual([
      { label: 'Anticipated', value: '100 sellers onboarded and 15% of catalogue views on their listings by year end.' },
      { label: 'Actual', value: '40 sellers onboarded of the 100 hoped for; their listings get 6% of catalogue views. Not yet the impact anticipated.' },
    ]);
    expect(reply.sections![4]!.fields![0]).toEqual({ label: 'Anticipated', value: 'none was recorded' });
    expect(reply.sections!.find((s) => s.text === '…and 1 earlier review.')).toBeDefined();
    // E6 closed 23 Jul: 9 + 92 + 24 = 125 days ago; created 21 Mar: 11 + 30 + 31 + 30 + 31 + 31 + 30 + 31 + 24 = 249 days.
    // E8 closed 12 Oct: 20 + 24 = 44 days ago; created 30 May: 2 + 30 + 31 + 31 + 30 + 31 + 24 = 179 days.
    const notYet = reply.sections!.find((s) => s.title === 'Not yet learned')!;
    expect(notYet.text).toBe(
      'DEMO-E6 Subscriptions — closed 23 Jul (125 days ago), 249 days since it was created; no outcome was anticipated\n' +
        'DEMO-E8 New tax engine — closed 12 Oct (44 days ago), 179 days since it was created; anticipated "Tax corrections on invoices fall from 40 a month to under 5."',
    );
    expect(reply.sections!.at(-1)!.text).toBe('4 epics are still open (not counted).');
  });

  it('counts a review recorded now, and takes it off the not-yet-learned list', async () => {
    const streamId = (await getStream(store.db, 'demo'))!.id;
    await setActualOutcome(store.db, streamId, 'DEMO-E8', 'Tax corrections down to 7 a month.', NOW);
    expect((await getWorkItem(store.db, streamId, 'DEMO-E8'))!.actualOutcome).toBe('Tax corrections down to 7 a month.');
    const reply = await runCommand(ctx, 'outcomes');
    // E8: 30 May → 24 Nov = 179 days; sorted 134 136 137 148 163 165 179: p50 rank 4 = 148, p70 rank 5 = 163, p85 rank 6 = 165, p95 rank 7 = 179
    expect(reply.text).toContain('takes 148 days or less for half of the epics (70%: 163, 85%: 165, 95%: 179 days; 7 epics reviewed). 1 closed epic is not yet learned');
    expect(reply.sections![1]!.title).toBe('DEMO-E8 New tax engine · learned in 179 days (24 Nov)');
    await setActualOutcome(store.db, streamId, 'DEMO-E8', null, NOW);
  });

  it('the check-in says the time to outcome, the reviews of the week side by side, and what is not yet learned', async () => {
    const streamId = (await getStream(store.db, 'demo'))!.id;
    const before = (await checkinCommand(ctx, 'now')).sections![4]!.text!;
    expect(before).toContain('Time to outcome: half of the reviewed epics were learned within 137 days of their creation (85%: 165 days; 6 reviewed; /flow outcomes).');
    expect(before).not.toContain('Learned:');
    expect(before).toContain('Not yet learned (closed, awaiting an outcome review): DEMO-E6 Subscriptions; DEMO-E8 New tax engine.');
    await setActualOutcome(store.db, streamId, 'DEMO-E8', 'Tax corrections down to 7 a month.\nObserved by: finance correction log', NOW - 2 * 86_400_000);
    const after = (await checkinCommand(ctx, 'now')).sections![4]!.text!;
    // E8 30 May → 22 Nov = 177 days; sorted 134 136 137 148 163 165 177: p50 rank 4 = 148, p85 rank 6 = 165
    expect(after).toContain('Time to outcome: half of the reviewed epics were learned within 148 days of their creation (85%: 165 days; 7 reviewed; /flow outcomes).');
    expect(after).toContain('Learned: DEMO-E8 New tax engine in 177 days — anticipated "Tax corrections on invoices fall from 40 a month to under 5.", actual "Tax corrections down to 7 a month.".');
    expect(after).toContain('Not yet learned (closed, awaiting an outcome review): DEMO-E6 Subscriptions.');
    await setActualOutcome(store.db, streamId, 'DEMO-E8', null, NOW);
  });

  it('the check-in shows the key result next to the anticipated outcome', async () => {
    const streamId = (await getStream(store.db, 'demo'))!.id;
    const outcome = (await getWorkItem(store.db, streamId, 'DEMO-E10'))!.anticipatedOutcome;
    await setAnticipatedOutcome(store.db, streamId, 'DEMO-E10', outcome, NOW, 'O2 KR3: support contacts per order -25%');
    const text = (await checkinCommand(ctx, 'now')).sections![4]!.text!;
    expect(text).toContain('DEMO-E10 "Business customers download invoices themselves: invoice tickets halve." (key result: O2 KR3: support contacts per order -25%); DEMO-E11 "Chargebacks below 0.2% of orders without more false declines."');
    // the key result is the next step, not a requirement: the ratio stays 4 of 12
    expect(text).toContain('Feature Factory Ratio 33%: 4 of 12 epics have no anticipated outcome');
    await setAnticipatedOutcome(store.db, streamId, 'DEMO-E10', outcome, NOW);
  });

  it('refuses options it does not take', async () => {
    const reply = await runCommand(ctx, 'outcomes 30d');
    expect(reply.error?.code).toBe('invalid-command');
    expect(reply.text).toContain('outcomes takes no options');
  });
});
