/**
 * The map's flow settings (blockedStatuses, stalledAfterDays, costOfDelay, pauseAwareCycleTime): taken when right,
 * refused naming the key and the fix when not.
 */
import { describe, expect, it } from 'vitest';
import { parseStreamMap } from '../../src/workflow/load-map.ts';

const STAGES = ['stages:', '  - { name: Doing, kind: touch, statuses: [In Progress] }', '  - { name: Waiting, kind: wait, statuses: [Review, Blocked] }', '  - { name: Done, kind: done, statuses: [Done] }'];
const text = (...extra: string[]) => ['name: web', 'timeZone: UTC', ...extra, ...STAGES].join('\n');
const refusal = (source: string): string => {
  try {
    parseStreamMap(source, 'web.yaml');
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the map was accepted');
};

describe('map flow settings', () => {
  it('reads blocked statuses, the stalled threshold and the cost of delay', () => {
    const map = parseStreamMap(text('blockedStatuses: [blocked]', 'stalledAfterDays: 3', 'costOfDelay: { perWeek: 3000, currency: EUR, perType: { defect: 5000 } }'), 'web.yaml');
    expect(map).toMatchObject({ blockedStatuses: ['blocked'], stalledAfterDays: 3, costOfDelay: { perWeek: 3000, currency: 'EUR', perType: { defect: 5000 } } });
    expect(parseStreamMap(text(), 'web.yaml')).not.toHaveProperty('costOfDelay');
    expect(parseStreamMap(text('pauseAwareCycleTime: true'), 'web.yaml').pauseAwareCycleTime).toBe(true);
    expect(parseStreamMap(text(), 'web.yaml')).not.toHaveProperty('pauseAwareCycleTime');
  });

  it('reads what blocked looks like in the trackers: labels and Jira\'s Flagged field', () => {
    const map = parseStreamMap(text('blockedLabels: [" blocked ", On Hold]', 'blockedWhenFlagged: true'), 'web.yaml');
    expect(map).toMatchObject({ blockedLabels: ['blocked', 'On Hold'], blockedWhenFlagged: true });
    expect(parseStreamMap(text(), 'web.yaml')).not.toHaveProperty('blockedLabels');
    expect(refusal(text('blockedLabels: blocked'))).toBe(
      'web.yaml, blockedLabels: blockedLabels lists the tracker labels (GitHub, GitLab, Linear) that mean blocked while set, e.g. blockedLabels: [blocked]',
    );
    expect(refusal(text('blockedLabels: [""]'))).toBe('web.yaml, blockedLabels[0]: a label in blockedLabels is empty: write the label name as the tracker shows it, or remove the entry');
    expect(refusal(text('blockedWhenFlagged: Impediment'))).toBe(
      "web.yaml, blockedWhenFlagged: blockedWhenFlagged is true or false: true counts the time Jira's Flagged field is set (Impediment) as blocked, e.g. blockedWhenFlagged: true",
    );
    // a field other than Flagged is not guessed at: the key is refused with the ones there are
    expect(refusal(text('blockedFields: [Impediment]'))).toContain("unknown key 'blockedFields': the keys are name, timeZone, startStatus, stages, blockedStatuses, blockedLabels, blockedWhenFlagged,");
  });

  it('refuses each wrong setting with the key and the fix', () => {
    expect(refusal(text('blockedStatuses: [Stuck]'))).toBe("web.yaml, blockedStatuses[0]: 'Stuck' is not a status of any stage: list it under the stage where items wait while blocked, or remove it from blockedStatuses");
    expect(refusal(text('stalledAfterDays: 0'))).toBe('web.yaml, stalledAfterDays: stalledAfterDays must be at least 1 (day)');
    expect(refusal(text('stalledAfterDays: 2.5'))).toBe('web.yaml, stalledAfterDays: stalledAfterDays is a whole number of days, e.g. stalledAfterDays: 5');
    expect(refusal(text('costOfDelay: { perWeek: 3000, currency: euro }'))).toBe('web.yaml, costOfDelay.currency: the currency is a three-letter ISO 4217 code in capitals, e.g. EUR, USD, GBP');
    expect(refusal(text('costOfDelay: { perWeek: -1, currency: EUR }'))).toBe('web.yaml, costOfDelay.perWeek: a cost of delay per week must be more than 0');
    expect(refusal(text('costOfDelay: { perWeek: 1, currency: EUR, perType: { bug: 2 } }'))).toBe("web.yaml, costOfDelay.perType: unknown key 'bug': the keys are feature, defect, risk, debt (perType keys are item types)");
    expect(refusal(text('pauseAwareCycleTime: yes please'))).toBe(
      'web.yaml, pauseAwareCycleTime: pauseAwareCycleTime is true or false: true leaves time back in a backlog stage after the start out of cycle time, e.g. pauseAwareCycleTime: true',
    );
    expect(refusal(text('costOfDelay: { perWeek: 1, currency: EUR, per: 2 }'))).toBe("web.yaml, costOfDelay: unknown key 'per': the keys are perWeek, currency, perType");
  });
});
