import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { xmr, xmrLimits } from '../../src/core/xmr.ts';
import type { FlowEvent } from '../../src/core/types.ts';

/**
 * Wheeler's in-process inventory (hundreds of pounds), "Understanding Variation", as worked in
 * Xmrit's "How to Plot an XmR Chart" (xmrit.com/articles/plot-xmr-chart-instructions):
 * average 20.39, average moving range 4.7, UNPL 20.39 + 2.66 × 4.7 = 32.89. The chart shows no signal.
 */
const inventory = [
  19, 27, 20, 16, 18, 25, 22, 24, 17, 25, 15, 17, // year one
  20, 22, 19, 16, 22, 19, 25, 22, 18, 20, 16, 17, // year two
  20, 15, 27, 25, 17, 19, 28, // year three
];

describe('xmr on published reference data', () => {
  it("reproduces Wheeler's in-process inventory limits when all 31 points are the baseline", () => {
    const result = xmr(inventory, { baseline: 31 });
    const [phase] = result.phases;
    // sum 632 over 31 points; 30 moving ranges sum to 141
    expect(phase.center).toBeCloseTo(632 / 31, 12);
    expect(phase.center.toFixed(2)).toBe('20.39');
    expect(phase.mrCenter).toBeCloseTo(4.7, 12);
    expect(phase.unpl).toBeCloseTo(632 / 31 + 2.66 * 4.7, 12);
    expect(phase.unpl.toFixed(2)).toBe('32.89');
    expect(phase.lnpl.toFixed(2)).toBe('7.89');
    expect(phase.mrUrl).toBeCloseTo(3.268 * 4.7, 12);
    expect(phase.baselineCount).toBe(31);
    expect(result.signals).toEqual([]);
    expect(result.points.every((p) => p.rules.length === 0)).toBe(true);
    expect(result.points.slice(0, 4).map((p) => p.mr)).toEqual([null, 8, 7, 4]);
  });

  it('by default takes the limits from the first 20 points and judges all 31 against them', () => {
    const [phase] = xmr(inventory).phases;
    // first 20: sum 410; their 19 moving ranges sum to 89
    expect(phase.center).toBe(20.5);
    expect(phase.mrCenter).toBeCloseTo(89 / 19, 12);
    expect(phase.baselineCount).toBe(20);
    expect(phase.endIndex).toBe(30);
  });
});

describe('xmr limits', () => {
  it('a small table by hand: centre 6, mean mR 1.8, UNPL 10.788, LNPL 1.212, URL 5.8824', () => {
    expect(xmrLimits([5, 7, 6, 8, 6, 4])).toEqual({
      center: 6,
      mrCenter: 1.8,
      unpl: 6 + 2.66 * 1.8,
      lnpl: 6 - 2.66 * 1.8,
      mrUrl: 3.268 * 1.8,
      baselineCount: 6,
    });
    const r = xmr([5, 7, 6, 8, 6, 4, 20]);
    expect(r.signals).toEqual([{ rule: 'beyond-limits', side: 'above', phase: 0, points: [6] }]);
    expect(r.points[6].rules).toEqual(['beyond-limits']);
  });

  it('keeps a negative LNPL raw (clamping is for drawing only)', () => {
    // mean 31/6; moving ranges 8 7 6 7 9 → 7.4; LNPL = 5.1667 − 19.684
    const [phase] = xmr([1, 9, 2, 8, 1, 10]).phases;
    expect(phase.lnpl).toBeCloseTo(31 / 6 - 2.66 * 7.4, 12);
    expect(phase.lnpl).toBeLessThan(0);
  });

  it('a constant series: mean mR 0, limits on the centre, nothing beyond, no run, no trend', () => {
    const result = xmr([5, 5, 5, 5, 5, 5, 5, 5, 5, 5]);
    expect(result.phases[0]).toMatchObject({ center: 5, mrCenter: 0, unpl: 5, lnpl: 5, mrUrl: 0 });
    expect(result.signals).toEqual([]);
    expect(result.points.every((p) => p.rules.length === 0 && !p.trend)).toBe(true);
    // after a constant baseline any change is beyond the limits
    const moved = xmr([5, 5, 5, 5, 5, 5, 6], { baseline: 6 });
    expect(moved.signals).toEqual([{ rule: 'beyond-limits', side: 'above', phase: 0, points: [6] }]);
  });

  it('fewer than 6 points: points and moving ranges listed, no limits, no signals', () => {
    const result = xmr([1, 2, 3, 4, 100]);
    expect(result.phases).toEqual([]);
    expect(result.signals).toEqual([]);
    expect(result.points.map((p) => p.mr)).toEqual([null, 1, 1, 1, 96]);
    expect(xmr([])).toEqual({ points: [], phases: [], signals: [] });
  });

  it('refuses values that are not numbers and a baseline below 2, saying what to give', () => {
    expect(() => xmr([1, Number.NaN])).toThrow(/index 1 is NaN: every value must be a finite number/);
    expect(() => xmr([1, 2, 3], { baseline: 1 })).toThrow(/at least 2/);
  });
});

describe('xmr rules', () => {
  it('run-of-8: a baseline shorter than the series, then a shift that stays above the centre', () => {
    // baseline 10 12 11 9 10 11: centre 10.5, mean mR 7/5 = 1.4, UNPL 14.224, upper midline 12.362
    const values = [10, 12, 11, 9, 10, 11, 12, 12, 13, 12, 12, 13, 12, 12];
    const result = xmr(values, { baseline: 6 });
    expect(result.phases[0]).toMatchObject({ center: 10.5, baselineCount: 6 });
    expect(result.phases[0].mrCenter).toBeCloseTo(1.4, 12);
    expect(result.signals).toEqual([{ rule: 'run-of-8', side: 'above', phase: 0, points: [5, 6, 7, 8, 9, 10, 11, 12, 13] }]);
    expect(result.points[4].rules).toEqual([]);
    expect(result.points[5].rules).toEqual(['run-of-8']);
  });

  it('a point on the centre line breaks a run', () => {
    // baseline centre 10; seven above, one on the centre, seven above
    const values = [8, 12, 8, 12, 12, 8, 11, 11, 11, 11, 11, 11, 11, 10, 11, 11, 11, 11, 11, 11, 11];
    const result = xmr(values, { baseline: 6 });
    expect(result.phases[0].center).toBe(10);
    expect(result.signals.filter((s) => s.rule === 'run-of-8')).toEqual([]);
  });

  it('3-of-4: overlapping windows on one side merge; points below the midline are not marked', () => {
    // baseline 10 12 10 12 10 12: centre 11, mean mR 2, UNPL 16.32, upper midline 13.66
    const values = [10, 12, 10, 12, 10, 12, 14, 15, 11, 14, 11, 11, 14, 9, 14, 15, 14];
    const result = xmr(values, { baseline: 6 });
    expect(result.phases[0].unpl).toBeCloseTo(16.32, 12);
    expect(result.signals).toEqual([
      { rule: '3-of-4', side: 'above', phase: 0, points: [6, 7, 9] },
      { rule: '3-of-4', side: 'above', phase: 0, points: [12, 14, 15, 16] },
    ]);
    expect(result.points[8].rules).toEqual([]);
    expect(result.points[13].rules).toEqual([]);
    // mirrored, the same points signal below
    const mirrored = xmr(values.map((v) => 22 - v), { baseline: 6 });
    expect(mirrored.signals.map((s) => [s.side, s.points])).toEqual([['below', [6, 7, 9]], ['below', [12, 14, 15, 16]]]);
  });

  it('a point lists every rule it takes part in, in rule order', () => {
    // baseline centre 10, mean mR 1 → UNPL 12.66, upper midline 11.33
    const values = [9, 10, 11, 10, 9, 10, 11, 11.5, 13, 11.5, 11.5, 11.5, 11.5, 11.5];
    const result = xmr(values, { baseline: 7 });
    expect(result.phases[0]).toMatchObject({ center: 10 });
    expect(result.points[8].rules).toEqual(['beyond-limits', 'run-of-8', '3-of-4']);
    expect(result.signals.map((s) => s.rule)).toEqual(['run-of-8', '3-of-4', 'beyond-limits']);
  });

  it('marks trends of six rising or falling points without making them signals', () => {
    const values = [10, 11, 12, 13, 14, 15, 12, 11, 10, 9, 8, 7, 12];
    const result = xmr(values);
    expect(result.points.map((p) => p.trend)).toEqual([true, true, true, true, true, true, true, true, true, true, true, true, false]);
    expect(xmr([10, 11, 12, 13, 14, 12, 13]).points.some((p) => p.trend)).toBe(false); // five rising only
    expect(result.points.every((p) => !(p.rules as string[]).includes('trend'))).toBe(true);
  });
});

describe('xmr phases', () => {
  const before = [10, 11, 9, 10, 12, 10, 11, 9];
  const after = [20, 21, 19, 20, 22, 20, 21, 19];
  const event: FlowEvent = { at: 1_000, text: 'WIP limit of 3 in review', kind: 'policy' };

  it('without a logged change, the shift shows as runs of 8 on both sides', () => {
    const result = xmr([...before, ...after]);
    expect(result.signals.filter((s) => s.rule === 'run-of-8').map((s) => [s.side, s.points.length])).toEqual([['below', 8], ['above', 8]]);
  });

  it('a new phase at the logged event gets its own limits; runs and windows stay inside a phase', () => {
    const result = xmr([...before, ...after], { phaseStarts: [8], events: [event], labels: Array.from({ length: 16 }, (_, i) => `W${i}`) });
    expect(result.phases.map((p) => [p.index, p.startIndex, p.endIndex, p.center, p.event?.text ?? null])).toEqual([
      [0, 0, 7, 82 / 8, null],
      [1, 8, 15, 162 / 8, 'WIP limit of 3 in review'],
    ]);
    expect(result.signals).toEqual([]);
    expect(result.points[8]).toMatchObject({ phase: 1, mr: null, label: 'W8' });
  });

  it('a phase with fewer than 6 points has no limits and no signals, but its points are listed', () => {
    const result = xmr([...before, 30, 31, 29], { phaseStarts: [8], events: [event] });
    expect(result.phases.map((p) => p.index)).toEqual([0]);
    expect(result.points.slice(8).map((p) => [p.phase, p.mr, p.rules])).toEqual([[1, null, []], [1, 1, []], [1, 2, []]]);
    expect(result.signals).toEqual([]);
  });

  it('ignores phase starts outside the series', () => {
    expect(xmr(before, { phaseStarts: [-1, 99] }).phases).toHaveLength(1);
  });
});

describe('xmr properties', () => {
  it('mirroring the values mirrors every signal', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 6, maxLength: 40 }), (values) => {
        const a = xmr(values);
        const b = xmr(values.map((v) => -v));
        const flip = (s: 'above' | 'below') => (s === 'above' ? 'below' : 'above');
        expect(b.signals.map((s) => [s.rule, flip(s.side), s.points])).toEqual(
          a.signals.map((s) => [s.rule, s.side, s.points]),
        );
      }),
      { numRuns: 300 },
    );
  });
});
