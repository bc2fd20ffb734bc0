/** Feature Factory Ratio: epics without an anticipated outcome ÷ all epics × 100. */
import type { FeatureFactoryReport, WorkItem } from './types.ts';

/**
 * Epics whose anticipated outcome is missing or blank, as a share of all epics (0..100).
 * @example
 * featureFactoryRatio([
 *   { key: 'E-1', isEpic: true, anticipatedOutcome: 'Checkout conversion +2%', … },
 *   { key: 'E-2', isEpic: true, anticipatedOutcome: null, title: 'New search', … },
 * ]);
 * // { epics: 2, withoutOutcome: 1, ratio: 50, missing: [{ key: 'E-2', title: 'New search' }] }
 */
export function featureFactoryRatio(items: readonly WorkItem[]): FeatureFactoryReport {
  let epics = 0;
  const missing: { key: string; title: string }[] = [];
  for (const item of items) {
    if (!item.isEpic) continue;
    epics++;
    if ((item.anticipatedOutcome ?? '').trim() === '') missing.push({ key: item.key, title: item.title });
  }
  return { epics, withoutOutcome: missing.length, ratio: epics > 0 ? (missing.length / epics) * 100 : null, missing };
}
