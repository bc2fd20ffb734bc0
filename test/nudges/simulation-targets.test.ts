/**
 * The signal alert's two targets on generated streams (scripts/simulate-nudges.ts, the same
 * decisions the bot makes): at most one alert per stable stream per quarter on average, and at
 * least 90% of 1.5-sigma lead-time shifts caught within 8 points. 100 streams, seeds 1–100.
 */
import { describe, expect, it } from 'vitest';
import { simulateNudges } from '../../scripts/simulate-nudges.ts';

describe('signal alert on simulated streams', () => {
  it('stays within one false alarm per stable stream per quarter and catches 90% of shifts', () => {
    const figures = simulateNudges(100);
    expect(figures.stableAlertsPerStreamPerQuarter).toBeLessThanOrEqual(1);
    expect(figures.shiftDetectedWithin8Points).toBeGreaterThanOrEqual(0.9);
  }, 120_000);
});
