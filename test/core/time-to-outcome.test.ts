import { describe, expect, it } from 'vitest';
import { timeToOutcome, type EpicOutcomeRecord } from '../../src/core/time-to-outcome.ts';

const at = (iso: string): number => Date.parse(iso);
const epic = (key: string, created: string, fields: Partial<EpicOutcomeRecord> = {}): EpicOutcomeRecord => ({
  key,
  title: `Epic ${key}`,
  createdAt: at(created),
  closedAt: null,
  anticipatedOutcome: null,
  actualOutcome: null,
  actualOutcomeAt: null,
  ...fields,
});

describe('timeToOutcome', () => {
  const now = at('2026-06-15T12:00Z');
  const epics = [
    // 1 Mar → 30 Mar: 30 days
    epic('E-1', '2026-03-01T09:00Z', { closedAt: at('2026-03-25T10:00Z'), anticipatedOutcome: 'Checkout drop-off under 20%', actualOutcome: 'Drop-off 22%', actualOutcomeAt: at('2026-03-30T15:00Z') }),
    // 1 Mar → 9 Apr: 40 days
    epic('E-2', '2026-03-01T09:00Z', { closedAt: at('2026-04-01T10:00Z'), actualOutcome: 'Fewer tickets', actualOutcomeAt: at('2026-04-09T08:00Z') }),
    // 20 Apr → 1 May: 12 days
    epic('E-3', '2026-04-20T09:00Z', { closedAt: at('2026-04-28T10:00Z'), anticipatedOutcome: 'Faster payouts', actualOutcome: 'Payouts in 2 days', actualOutcomeAt: at('2026-05-01T09:00Z') }),
    // 2 Mar 00:30 in Berlin (1 Mar 23:30 UTC) → 4 Jun: 95 days in Berlin, 96 in UTC
    epic('E-4', '2026-03-01T23:30Z', { closedAt: at('2026-05-30T10:00Z'), actualOutcome: 'Mobile share up 4 points', actualOutcomeAt: at('2026-06-04T10:00Z') }),
    // reviewed before this was timed: the close counts, 1 Apr → 31 May = 61 days
    epic('E-5', '2026-04-01T09:00Z', { closedAt: at('2026-05-31T10:00Z'), actualOutcome: 'Returns handled online: 70%' }),
    // closed 5 Jun, no review (a blank one is none)
    epic('E-6', '2026-05-01T09:00Z', { closedAt: at('2026-06-05T10:00Z'), anticipatedOutcome: 'B2B invoices in one click', actualOutcome: '   ' }),
    // closed 10 May, no review
    epic('E-7', '2026-02-01T09:00Z', { closedAt: at('2026-05-10T10:00Z') }),
    // open
    epic('E-8', '2026-06-01T09:00Z', { anticipatedOutcome: 'Fraud losses halve' }),
  ];

  it('counts creation to the recorded review in calendar days, with nearest-rank percentiles', () => {
    const report = timeToOutcome(epics, 'Europe/Berlin', now);
    // learned in review order: E-1 (30 Mar), E-2 (9 Apr), E-3 (1 May), E-5 (31 May, its close), E-4 (4 Jun)
    expect(report.learned.map((e) => [e.key, e.days])).toEqual([
      ['E-1', 30],
      ['E-2', 40],
      ['E-3', 12],
      ['E-5', 61],
      ['E-4', 95],
    ]);
    // sorted 12, 30, 40, 61, 95: p50 rank 3 = 40, p70 rank 4 = 61, p85 rank 5 = 95, p95 rank 5 = 95
    expect(report.percentiles).toEqual({ '50': 40, '70': 61, '85': 95, '95': 95 });
    expect(report.learned[0]).toMatchObject({ anticipated: 'Checkout drop-off under 20%', actual: 'Drop-off 22%' });
    expect(report.learned[1]!.anticipated).toBeNull();
    expect(report.open).toBe(1);
  });

  it('lists closed epics without a review as not yet learned, oldest close first', () => {
    const report = timeToOutcome(epics, 'Europe/Berlin', now);
    // E-7 closed 10 May: 37 days to 15 Jun inclusive; created 1 Feb: 135 days so far
    // E-6 closed 5 Jun: 11 days; created 1 May: 46 days so far
    expect(report.notYetLearned).toEqual([
      { key: 'E-7', title: 'Epic E-7', closedAt: at('2026-05-10T10:00Z'), daysSoFar: 135, daysSinceClose: 37, anticipated: null },
      { key: 'E-6', title: 'Epic E-6', closedAt: at('2026-06-05T10:00Z'), daysSoFar: 46, daysSinceClose: 11, anticipated: 'B2B invoices in one click' },
    ]);
  });

  it('counts days in the stream time zone', () => {
    expect(timeToOutcome(epics, 'UTC', now).learned.find((e) => e.key === 'E-4')!.days).toBe(96);
  });

  it('has no percentiles when no epic is learned yet', () => {
    const report = timeToOutcome([epic('E-7', '2026-02-01T09:00Z', { closedAt: at('2026-05-10T10:00Z') })], 'UTC', now);
    expect(report.percentiles).toBeNull();
    expect(report.learned).toEqual([]);
    expect(report.notYetLearned).toHaveLength(1);
  });
});
