import { describe, expect, it } from 'vitest';
import { runCli } from './support/run-cli.ts';

describe('flow-nudge xmr', () => {
  it('prints limits and the rules each point takes part in, as JSON', () => {
    // Baseline: 10 points 10..12 → centre and limits; then a jump to 30 (beyond the limits).
    const run = runCli(['xmr', '--json', '--baseline', '10'], { input: '10 11 12 11 10 11 12 11 10 11\n30, 11' });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.center).toBeCloseTo(10.9, 10);
    // moving ranges 1,1,1,1,1,1,1,1,1 → mean 1
    expect(result.mrCenter).toBeCloseTo(1, 10);
    expect(result.unpl).toBeCloseTo(10.9 + 2.66, 10);
    expect(result.lnpl).toBeCloseTo(10.9 - 2.66, 10);
    expect(result.mrUrl).toBeCloseTo(3.268, 10);
    expect(result.points).toHaveLength(12);
    expect(result.points[0]).toEqual({ index: 0, value: 10, mr: null, rules: [] });
    expect(result.points[10]).toMatchObject({ index: 10, value: 30, mr: 19 });
    expect(result.points[10].rules).toContain('beyond-limits');
    expect(result.points[11].rules).toEqual([]);
  });

  it('reads durations on the log scale on request: centre = geometric mean, limits back in the values\' unit', () => {
    const values = [4, 9, 4, 9, 4, 9, 4, 9];
    const run = runCli(['xmr', '--json', '--scale', 'log'], { input: values.join(' ') });
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.center).toBeCloseTo(6, 10); // √(4·9)
    const mrLog = Math.log(9 / 4);
    expect(result.unpl).toBeCloseTo(Math.exp(Math.log(6) + 2.66 * mrLog), 10);
    expect(result.lnpl).toBeCloseTo(Math.exp(Math.log(6) - 2.66 * mrLog), 10);
    expect(JSON.parse(runCli(['xmr', '--json'], { input: values.join(' ') }).stdout).center).toBe(6.5);
    const zero = runCli(['xmr', '--scale', 'log'], { input: '0 1 2 3 4 5' });
    expect(zero.code).toBe(2);
    expect(zero.stderr).toContain('--scale log needs positive numbers (value 1 is 0)');
    expect(runCli(['xmr', '--scale', 'ln'], { input: '1 2 3 4 5 6' }).stderr).toContain('--scale "ln" is not known; use log or linear');
  });

  it('keeps a negative LNPL raw', () => {
    const run = runCli(['xmr', '--json'], { input: '1 9 1 9 1 9' });
    const result = JSON.parse(run.stdout);
    expect(result.center).toBe(5);
    expect(result.lnpl).toBeCloseTo(5 - 2.66 * 8, 10);
  });

  it('refuses fewer than 6 numbers with exit code 2', () => {
    const run = runCli(['xmr', '--json'], { input: '1 2 3 4 5' });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('need at least 6 numbers');
  });

  it('refuses non-numeric input naming the bad value, exit code 2', () => {
    const run = runCli(['xmr'], { input: '1 2 3 four 5 6 7' });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('"four" (value 4) is not a number');
  });

  it('refuses a baseline longer than the series', () => {
    const run = runCli(['xmr', '--baseline', '40'], { input: '1 2 3 4 5 6 7' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--baseline must be a whole number from 6 to 7');
  });
});
