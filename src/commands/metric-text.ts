import type { XmrResult } from '../core/types.ts';
import { RULE_WORDS } from './metric-answers.ts';

export { RULE_WORDS } from './metric-answers.ts';

/** The last signal of an XmR result in words, or null when there is none. */
export function lastSignalWords(result: XmrResult): string | null {
  const signal = result.signals.at(-1);
  if (!signal) return null;
  const first = result.points[signal.points[0]!];
  return `${RULE_WORDS[signal.rule]} (${signal.side} the centre line)${first?.label ? ` from ${first.label}` : ''}`;
}
