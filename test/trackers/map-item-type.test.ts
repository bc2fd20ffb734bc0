import { describe, expect, it } from 'vitest';
import { mapItemType } from '../../src/trackers/map-item-type.ts';

describe('mapItemType', () => {
  it('maps the usual vendor types', () => {
    expect(mapItemType(['Bug'])).toBe('defect');
    expect(mapItemType(['Story'])).toBe('feature');
    expect(mapItemType(['Security'])).toBe('risk');
    expect(mapItemType(['Tech debt'])).toBe('debt');
    expect(mapItemType(['chore'])).toBe('debt');
    expect(mapItemType(['type::bug'])).toBe('defect');
    expect(mapItemType([])).toBe('feature');
  });
  it('the more specific kind wins among labels; the stream override wins over defaults', () => {
    expect(mapItemType(['Improvement', 'Bug'])).toBe('defect');
    expect(mapItemType(['Spike'], { spike: 'debt' })).toBe('debt');
    expect(mapItemType(['Bug'], { BUG: 'risk' })).toBe('risk');
  });
});
