/**
 * Time to outcome: how long it takes a stream to learn whether an epic delivered what it
 * anticipated — from the epic's creation to its recorded actual outcome (the review at close),
 * in calendar-inclusive days, with percentiles by nearest rank. Closed epics without a review
 * are "not yet learned".
 */
import { calendarDaysInclusive } from './days.ts';
import { percentiles } from './percentiles.ts';
import type { Percentiles } from './types.ts';

/** An epic as time to outcome reads it. */
export interface EpicOutcomeRecord {
  key: string;
  title: string;
  /** epoch ms */
  createdAt: number;
  /** when it closed; null while open */
  closedAt: number | null;
  anticipatedOutcome: string | null;
  actualOutcome: string | null;
  /** when the actual outcome was recorded; null when unknown (then the close counts) */
  actualOutcomeAt: number | null;
}

/** An epic whose actual outcome is recorded, anticipated beside actual. */
export interface LearnedEpic {
  key: string;
  title: string;
  /** when the review was recorded (or the close, when its time is unknown) */
  learnedAt: number;
  /** calendar-inclusive days from creation to learnedAt */
  days: number;
  anticipated: string | null;
  actual: string;
}

/** A closed epic without a review yet. */
export interface NotYetLearnedEpic {
  key: string;
  title: string;
  closedAt: number;
  /** calendar-inclusive days from creation to now (still counting) */
  daysSoFar: number;
  /** calendar-inclusive days since it closed */
  daysSinceClose: number;
  anticipated: string | null;
}

export interface TimeToOutcomeReport {
  /** reviewed epics, in the order they were learned */
  learned: LearnedEpic[];
  /** percentiles of the learned epics' days (50, 70, 85, 95), null when none is learned */
  percentiles: Percentiles | null;
  /** closed epics without a review, oldest close first */
  notYetLearned: NotYetLearnedEpic[];
  /** epics still open (not counted) */
  open: number;
}

const text = (value: string | null): string | null => (value !== null && value.trim() !== '' ? value.trim() : null);

/**
 * Days from creation to the recorded actual outcome, for every epic that has one.
 * @example
 * // created 1 Mar, reviewed 30 Mar (30 days); created 1 Mar, reviewed 9 Apr (40 days); closed 5 Apr, no review
 * timeToOutcome([e1, e2, e3], 'UTC', Date.UTC(2026, 3, 20));
 * // { learned: [{ key: 'E-1', days: 30, … }, { key: 'E-2', days: 40, … }],
 * //   percentiles: { '50': 30, '70': 40, '85': 40, '95': 40 },
 * //   notYetLearned: [{ key: 'E-3', daysSinceClose: 16, … }], open: 0 }
 */
export function timeToOutcome(epics: readonly EpicOutcomeRecord[], timeZone: string, now: number): TimeToOutcomeReport {
  const learned: LearnedEpic[] = [];
  const notYetLearned: NotYetLearnedEpic[] = [];
  let open = 0;
  for (const epic of epics) {
    const actual = text(epic.actualOutcome);
    const learnedAt = epic.actualOutcomeAt ?? epic.closedAt;
    if (actual !== null && learnedAt !== null) {
      learned.push({
        key: epic.key,
        title: epic.title,
        learnedAt,
        days: calendarDaysInclusive(epic.createdAt, learnedAt, timeZone),
        anticipated: text(epic.anticipatedOutcome),
        actual,
      });
    } else if (epic.closedAt !== null) {
      notYetLearned.push({
        key: epic.key,
        title: epic.title,
        closedAt: epic.closedAt,
        daysSoFar: calendarDaysInclusive(epic.createdAt, now, timeZone),
        daysSinceClose: calendarDaysInclusive(epic.closedAt, now, timeZone),
        anticipated: text(epic.anticipatedOutcome),
      });
    } else {
      open += 1;
    }
  }
  learned.sort((a, b) => a.learnedAt - b.learnedAt || a.key.localeCompare(b.key));
  notYetLearned.sort((a, b) => a.closedAt - b.closedAt || a.key.localeCompare(b.key));
  return { learned, percentiles: percentiles(learned.map((e) => e.days)), notYetLearned, open };
}
