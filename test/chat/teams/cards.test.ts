/**
 * Reply → Adaptive Card, the form cards and their validation, the command text read from a
 * Teams message, and the throttling retry: the pure parts of the Teams adapter.
 */
import { describe, expect, it } from 'vitest';
import { commandTextOf, conversationKey } from '../../../src/chat/teams/activity-input.ts';
import { checkEventForm, checkOutcomeForm, eventFormCard, outcomeFormCard } from '../../../src/chat/teams/form-cards.ts';
import { renderReplyCard } from '../../../src/chat/teams/reply-card.ts';
import { retryAfterMs, withThrottleRetry } from '../../../src/chat/teams/throttle-retry.ts';
import { errorReply } from '../../../src/reply/reply.ts';
import { cardProblems, cardText } from './support/card-schema.ts';

describe('renderReplyCard', () => {
  it('shows the text, each section as heading + paragraph + facts, the chart and the buttons', () => {
    const card = renderReplyCard(
      {
        text: 'Cycle time of demo, last 30 days: 85% within 9 days.',
        sections: [
          { title: 'Percentiles', fields: [{ label: '50%', value: '4 days' }, { label: '95%', value: '15 days' }] },
          { title: 'Constraint', text: 'Most waiting happens in Code review.' },
        ],
        chart: { png: Buffer.from('x'), summary: 'Scatterplot: 212 items, 85% within 9 days.', kind: 'scatter' },
        buttons: [
          { id: 'open-event-form', label: 'Log a policy change', opens: 'event-form' },
          { id: 'xmr', label: 'XmR chart', value: 'xmr cycletime' },
        ],
      },
      { chartUrl: 'https://flow.example.com/charts/chart.png?token=abc' },
    );
    expect(cardProblems(card)).toEqual([]);
    expect(card.msteams).toEqual({ width: 'Full' });
    const text = cardText(card);
    expect(text).toContain('Cycle time of demo, last 30 days: 85% within 9 days.');
    expect(text).toContain('50%: 4 days');
    expect(text).toContain('Most waiting happens in Code review.');
    expect(card.body).toContainEqual(expect.objectContaining({ type: 'Image', url: 'https://flow.example.com/charts/chart.png?token=abc', altText: 'Scatterplot: 212 items, 85% within 9 days.' }));
    // shown as a picture, its summary is the alt text, not a second paragraph repeating what the card says
    expect(text).not.toContain('Scatterplot: 212 items');
    expect(card.actions).toEqual([
      expect.objectContaining({ type: 'Action.Execute', verb: 'flow.openForm', data: expect.objectContaining({ form: 'event-form', verb: 'flow.openForm' }) }),
      expect.objectContaining({ type: 'Action.Execute', verb: 'flow.command', data: expect.objectContaining({ command: 'xmr cycletime' }) }),
    ]);
    // clients without Universal Actions fall back to Action.Submit with the same verb and data
    expect(card.actions![1]!.fallback).toMatchObject({ type: 'Action.Submit', data: { command: 'xmr cycletime', verb: 'flow.command' } });
  });

  it('puts an error in the attention colour with its fix, and a chart without a URL as its summary only', () => {
    const card = renderReplyCard(errorReply('channel-not-bound', 'This channel follows no stream.', 'Run @flow bind STREAM.'));
    expect(cardProblems(card)).toEqual([]);
    expect(card.body[0]).toMatchObject({ type: 'TextBlock', color: 'attention', text: 'This channel follows no stream. Run @flow bind STREAM.' });
    const noUrl = renderReplyCard({ text: 't', chart: { png: Buffer.from('x'), summary: 'the summary', kind: 'xmr' } });
    expect(noUrl.body.some((e) => e.type === 'Image')).toBe(false);
    expect(cardText(noUrl)).toContain('the summary');
  });
});

describe('form cards', () => {
  it('are valid 1.5 cards with the inputs the submissions are read from', () => {
    const event = eventFormCard('2026-11-20', { text: 'WIP limit 3' });
    const outcome = outcomeFormCard({ epic: 'CHK-12' }, ['Give the epic key.']);
    expect(cardProblems(event)).toEqual([]);
    expect(cardProblems(outcome)).toEqual([]);
    expect(event.body.filter((e) => String(e.type).startsWith('Input.')).map((e) => e.id)).toEqual(['text', 'date']);
    expect(event.body).toContainEqual(expect.objectContaining({ type: 'Input.Date', max: '2026-11-20', value: '2026-11-20' }));
    expect(outcome.body.filter((e) => String(e.type).startsWith('Input.')).map((e) => [e.id, e.value])).toEqual([['epic', 'CHK-12'], ['outcome', ''], ['observe', ''], ['keyResult', '']]);
    expect(cardText(outcome)).toContain('Not saved: Give the epic key.');
    expect(event.actions![0]).toMatchObject({ type: 'Action.Execute', verb: 'flow.saveEvent' });
    expect(outcome.actions![0]).toMatchObject({ type: 'Action.Execute', verb: 'flow.saveOutcome' });
  });

  it('validate submissions and name each problem', () => {
    expect(checkEventForm({ text: '  WIP limit 3 on Code review ', date: '' }, '2026-11-20')).toEqual({ ok: true, value: { text: 'WIP limit 3 on Code review', date: '2026-11-20' } });
    const future = checkEventForm({ text: 'WIP limit 3', date: '2026-11-21' }, '2026-11-20');
    expect(future).toMatchObject({ ok: false, problems: ['Log a change once it has happened: pick 2026-11-20 or earlier.'] });
    expect(checkEventForm({ text: 42 }, '2026-11-20')).toMatchObject({ ok: false });
    expect(checkEventForm({ text: 'ok', date: 'yesterday' }, '2026-11-20')).toMatchObject({ ok: false });
    const bad = checkOutcomeForm({ epic: 'CHK 12; drop', outcome: 'short' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.problems.join(' ')).toMatch(/epic key looks like/);
      expect(bad.problems.join(' ')).toMatch(/at least 10 characters/);
      expect(bad.values).toEqual({ epic: 'CHK 12; drop', outcome: 'short' });
    }
    expect(checkOutcomeForm({ epic: 'CHK-12', outcome: 'Abandonment below 20%', observe: ' funnel ' })).toEqual({ ok: true, value: { epic: 'CHK-12', outcome: 'Abandonment below 20%', observe: 'funnel', keyResult: '' } });
  });
});

describe('commandTextOf', () => {
  it('drops the bot mention, Teams HTML and a leading flow, and keeps other mentions', () => {
    expect(commandTextOf('<at>flow</at> leadtime 30d', 'flow')).toBe('leadtime 30d');
    expect(commandTextOf('leadtime&nbsp;30d\n', 'flow')).toBe('leadtime 30d');
    expect(commandTextOf('flow leadtime', 'flow')).toBe('leadtime');
    // a hint said "@flow leadtime" and the person typed it as text in a 1:1 chat
    expect(commandTextOf('@flow leadtime', 'flow')).toBe('leadtime');
    expect(commandTextOf('/flow help')).toBe('help');
    expect(commandTextOf('flowchart')).toBe('flowchart');
    expect(commandTextOf('<p>cycletime for <at>Robin Example</at></p>', 'flow')).toBe('cycletime for <at>Robin Example</at>');
    expect(conversationKey('19:abc@thread.tacv2;messageid=1700000000001')).toBe('19:abc@thread.tacv2');
  });
});

describe('withThrottleRetry', () => {
  const throttled = (status: number, retryAfter?: string) =>
    Object.assign(new Error(`Request failed with status ${status}`), { status, response: { status, headers: new Headers(retryAfter ? { 'retry-after': retryAfter } : {}) } });

  it('retries 429/412/502/504 with backoff, honouring Retry-After, and returns the result', async () => {
    const waits: number[] = [];
    const failures = [throttled(429, '2'), throttled(502), throttled(412)];
    let calls = 0;
    const result = await withThrottleRetry(async () => {
      calls++;
      const failure = failures.shift();
      if (failure) throw failure;
      return 'sent';
    }, { sleep: async (ms) => void waits.push(ms), random: () => 0.5, baseDelayMs: 100 });
    expect(result).toBe('sent');
    expect(calls).toBe(4);
    expect(waits).toEqual([2000, 150, 300]);
  });

  it('does not retry a 403 (the bot was removed) and gives up after the retries', async () => {
    let calls = 0;
    await expect(withThrottleRetry(async () => { calls++; throw throttled(403); }, { sleep: async () => {} })).rejects.toMatchObject({ status: 403 });
    expect(calls).toBe(1);
    calls = 0;
    await expect(withThrottleRetry(async () => { calls++; throw throttled(429); }, { sleep: async () => {}, retries: 3 })).rejects.toMatchObject({ status: 429 });
    expect(calls).toBe(4);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(retryAfterMs(throttled(429, '3'))).toBe(3000);
    expect(retryAfterMs(throttled(429, new Date(10_000).toUTCString()), 4_000)).toBe(6000);
    expect(retryAfterMs(throttled(429))).toBeUndefined();
  });
});
