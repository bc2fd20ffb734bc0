import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/commands/parse.ts';
import { parsePeriod, resolvePeriod } from '../../src/commands/period.ts';

describe('parseCommand', () => {
  it('reads every metric command with an optional period', () => {
    expect(parseCommand('leadtime 30d')).toEqual({ name: 'metric', metric: 'leadtime', period: { kind: 'last', days: 30, label: 'last 30 days' } });
    expect(parseCommand('CycleTime 12w')).toEqual({ name: 'metric', metric: 'cycletime', period: { kind: 'last', days: 84, label: 'last 12 weeks' } });
    expect(parseCommand('throughput since 2026-09-01')).toEqual({ name: 'metric', metric: 'throughput', period: { kind: 'since', date: '2026-09-01', label: 'since 2026-09-01' } });
    for (const metric of ['wip', 'aging', 'efficiency', 'stages', 'distribution', 'cfd']) {
      expect(parseCommand(metric)).toEqual({ name: 'metric', metric });
    }
  });

  it('reads xmr with its series (lead time by default) and forecasts', () => {
    expect(parseCommand('xmr')).toEqual({ name: 'xmr', series: 'leadtime' });
    expect(parseCommand('xmr throughput 26w')).toMatchObject({ name: 'xmr', series: 'throughput', period: { days: 182 } });
    expect(parseCommand('forecast 30 items')).toEqual({ name: 'forecast', mode: 'items', amount: 30 });
    expect(parseCommand('forecast 14 days')).toEqual({ name: 'forecast', mode: 'days', amount: 14 });
  });

  it('reads events, outcomes and experiments, keeping the free text as typed', () => {
    expect(parseCommand('event WIP limit 3 in Code review')).toEqual({ name: 'event', action: 'log', text: 'WIP limit 3 in Code review' });
    expect(parseCommand('event list')).toEqual({ name: 'event', action: 'list' });
    expect(parseCommand('event')).toEqual({ name: 'event', action: 'form' });
    expect(parseCommand('outcome CHK-12 Checkout abandonment below 20%')).toEqual({ name: 'outcome', epic: 'CHK-12', text: 'Checkout abandonment below 20%' });
    expect(parseCommand('outcome CHK-12')).toEqual({ name: 'outcome', epic: 'CHK-12' });
    expect(parseCommand('experiment start WIP limit 3 | measure cycletime | review 2026-10-15')).toEqual({
      name: 'experiment', action: 'start', policy: 'WIP limit 3', measure: 'cycletime', review: '2026-10-15',
    });
    expect(parseCommand('experiment status')).toEqual({ name: 'experiment', action: 'status' });
    expect(parseCommand('experiment end')).toEqual({ name: 'experiment', action: 'end' });
  });

  it('passes checkin and owner on with their words', () => {
    expect(parseCommand('checkin monday 09:30')).toEqual({ name: 'checkin', rest: 'monday 09:30' });
    expect(parseCommand('owner ana@example.com <@U1>')).toEqual({ name: 'owner', rest: 'ana@example.com <@U1>' });
  });

  it('answers help for nothing, help, or an unknown word', () => {
    expect(parseCommand('')).toEqual({ name: 'help' });
    expect(parseCommand('  help ')).toEqual({ name: 'help' });
    expect(parseCommand('velocity')).toEqual({ name: 'help', unknown: 'velocity' });
  });

  it.each([
    'leadtime by assignee',
    'cycletime per person',
    'who is slowest',
    "who's the slowest developer",
    'throughput by developer 30d',
    'leaderboard',
    'aging for each engineer',
    'leadtime <@U0123ABC>',
    'cycletime @alice',
    'slowest developers',
  ])('refuses a per-person request: %s', (text) => {
    const command = parseCommand(text);
    expect(command.name).toBe('refused');
    if (command.name === 'refused') expect(command.reason).toMatch(/never|not report metrics per person/);
  });

  it('does not refuse ordinary free text of an event', () => {
    expect(parseCommand('event Pairing on every review from today')).toMatchObject({ name: 'event', action: 'log' });
  });

  it.each([
    ['leadtime 30x', /not a period/],
    ['leadtime since yesterday', /since and a date/],
    ['forecast soon', /forecast 30 items/],
    ['forecast 0 items', /0 is out of range.*forecast 30 items.*forecast 14 days.*1 to 10000/],
    ['forecast', /^forecast needs a number and "items" or "days"\. Ask \/flow forecast 30 items/],
    ['xmr velocity', /^"velocity" is not an XmR series or a period\. Use \/flow xmr leadtime\|cycletime\|throughput\|wip \[raw\] \[30d \| 12w \| since 2026-09-01\]/],
    ['xmr leadtime soon', /"soon" is not a period: use 30d/],
    ['experiment', /^experiment needs start, status or end\. Use \/flow experiment start POLICY.*status.*end/],
    ['bind', /exactly one stream/],
    ['bind a b', /exactly one stream/],
    ['experiment start x | review 2026-13-01', /review/],
    ['experiment start x | colour blue', /not an experiment option/],
    ['experiment pause', /not an experiment command/],
  ])('says what is wrong with %s', (text, problem) => {
    const command = parseCommand(text);
    expect(command.name).toBe('invalid');
    if (command.name === 'invalid') expect(`${command.problem} ${command.fix}`).toMatch(problem);
  });
});

describe('periods', () => {
  it('turns days, weeks and since-dates into windows ending now', () => {
    const now = Date.UTC(2026, 9, 1, 12);
    const last = parsePeriod(['30d']);
    expect(last.ok && resolvePeriod(last.period, now, 'UTC')).toEqual({ from: now - 30 * 86_400_000, to: now + 1 });
    const since = parsePeriod(['since', '2026-09-01']);
    // local midnight in Berlin (UTC+2 in September)
    expect(since.ok && resolvePeriod(since.period, now, 'Europe/Berlin').from).toBe(Date.UTC(2026, 7, 31, 22));
    expect(parsePeriod(['0d']).ok).toBe(false);
    expect(parsePeriod(['9999w']).ok).toBe(false);
  });
});
