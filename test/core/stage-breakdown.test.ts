import { describe, expect, it } from 'vitest';
import { constraintSentence, stageBreakdown } from '../../src/core/stage-breakdown.ts';
import { HOUR, teamMap, weekItems, weekWindow } from './flow-fixtures.ts';

describe('stageBreakdown', () => {
  it('totals time per wait and touch stage inside the window and names the constraint', () => {
    const report = stageBreakdown(weekItems(), teamMap, weekWindow);
    const byStage = Object.fromEntries(report.stages.map((s) => [s.stage, s]));
    expect(report.stages.map((s) => s.stage)).toEqual(['Ready', 'Doing', 'Code review', 'Testing']);
    // Ready: B-3 from the window start (02-08 23:00Z) to 02-10 10:00Z
    expect(byStage.Ready).toMatchObject({ kind: 'wait', totalMs: 35 * HOUR, items: 1 });
    // Code review: B-1 24 h; B-3 from 02-12 10:00Z to the window end 02-15 23:00Z = 85 h
    expect(byStage['Code review']).toMatchObject({ kind: 'wait', totalMs: 109 * HOUR, medianMs: 24 * HOUR, items: 2 });
    // Doing: B-1 24, B-2 8, B-3 48, B-4 85 (clipped), B-7 48 (after reopening), B-8 15.5 → median of 6 = 3rd = 24 h
    expect(byStage.Doing).toMatchObject({ kind: 'touch', totalMs: 228.5 * HOUR, medianMs: 24 * HOUR, items: 6, waitShare: 0 });
    expect(byStage.Testing).toMatchObject({ totalMs: 6 * HOUR, items: 1 });
    expect(report.totalWaitMs).toBe(144 * HOUR);
    expect(report.totalTouchMs).toBe(234.5 * HOUR);
    expect(byStage['Code review'].waitShare).toBeCloseTo(109 / 144, 12);
    expect(report.constraint).toEqual({
      stage: 'Code review',
      waitShare: 109 / 144,
      sentence: 'Most waiting happens in Code review: 76% of all wait time',
    });
  });

  it('open steps count up to now when now is before the window end', () => {
    const now = Date.parse('2026-02-13T10:00Z');
    const report = stageBreakdown(weekItems(), teamMap, weekWindow, now);
    const review = report.stages.find((s) => s.stage === 'Code review')!;
    expect(review.totalMs).toBe((24 + 24) * HOUR); // B-3 in review 02-12 10:00 → 02-13 10:00
  });

  it('no wait time, no constraint', () => {
    expect(stageBreakdown([], teamMap, weekWindow).constraint).toBeNull();
  });

  it('says the constraint in plain words', () => {
    expect(constraintSentence('Code review', 0.4128)).toBe('Most waiting happens in Code review: 41% of all wait time');
  });
});
