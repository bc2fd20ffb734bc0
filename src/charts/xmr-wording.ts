import type { XmrRule } from '../core/types.ts';
import { INK, OKABE_ITO } from './palette.ts';

/** The series an XmR chart can show. */
export type XmrSeriesKind = 'leadtime' | 'cycletime' | 'throughput' | 'wip';
export const XMR_SERIES_KINDS: readonly XmrSeriesKind[] = ['leadtime', 'cycletime', 'throughput', 'wip'];

/** How each series is named, what a point is and which unit its values have. */
export const XMR_SERIES_WORDS: Record<XmrSeriesKind, { what: string; point: string; points: string; unit: string; axis: string }> = {
  leadtime: { what: 'Lead time', point: 'finished item', points: 'finished items', unit: 'days', axis: 'Lead time (days)' },
  cycletime: { what: 'Cycle time', point: 'finished item', points: 'finished items', unit: 'days', axis: 'Cycle time (days)' },
  throughput: { what: 'Weekly throughput', point: 'week', points: 'weeks', unit: 'items', axis: 'Items finished per week' },
  wip: { what: 'Work in progress', point: 'week', points: 'weeks', unit: 'items', axis: 'Items in progress (end of week)' },
};

/** Each signal rule in plain words, as the legend and the summaries name it. */
export const XMR_RULE_WORDS: Record<XmrRule, string> = {
  'beyond-limits': 'Beyond the limits',
  'run-of-8': 'Run of 8 on one side',
  '3-of-4': '3 of 4 near a limit',
};

/** Colour and shape of points taking part in each rule; a point in several rules shows the first. */
export const XMR_RULE_STYLE: Record<XmrRule, { color: string; shape: string }> = {
  'beyond-limits': { color: OKABE_ITO.vermillion, shape: 'diamond' },
  'run-of-8': { color: OKABE_ITO.blue, shape: 'square' },
  '3-of-4': { color: OKABE_ITO.reddishPurple, shape: 'triangle-up' },
};

export const XMR_LINE_COLOR = INK.point;
