import { describe, expect, it } from 'vitest';
import { featureFactoryRatio } from '../../src/core/feature-factory-ratio.ts';
import { item } from './flow-fixtures.ts';

describe('featureFactoryRatio', () => {
  it('epics without an anticipated outcome ÷ all epics × 100; blank counts as missing; stories are ignored', () => {
    const items = [
      item('E-1', '2026-01-01T00:00Z', [], { isEpic: true, title: 'Faster checkout', anticipatedOutcome: 'Checkout drop-off falls from 30% to 20%' }),
      item('E-2', '2026-01-01T00:00Z', [], { isEpic: true, title: 'New search', anticipatedOutcome: null }),
      item('E-3', '2026-01-01T00:00Z', [], { isEpic: true, title: 'Partner API', anticipatedOutcome: '   ' }),
      item('E-4', '2026-01-01T00:00Z', [], { isEpic: true, title: 'Dark mode' }),
      item('S-1', '2026-01-01T00:00Z', [], { anticipatedOutcome: null }),
    ];
    expect(featureFactoryRatio(items)).toEqual({
      epics: 4,
      withoutOutcome: 3,
      ratio: 75,
      missing: [
        { key: 'E-2', title: 'New search' },
        { key: 'E-3', title: 'Partner API' },
        { key: 'E-4', title: 'Dark mode' },
      ],
    });
  });

  it('is null without epics', () => {
    expect(featureFactoryRatio([item('S-1', '2026-01-01T00:00Z', [])]).ratio).toBeNull();
  });
});
