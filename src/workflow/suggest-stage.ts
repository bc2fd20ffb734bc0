/**
 * Which stage of a map a status the map does not name probably belongs to, for the fix of an
 * unmapped-status message: by the status's words (review, ready, blocked → a wait stage; in
 * progress, testing → touch; done, released → done; to do, new → backlog), the first such stage
 * at or after the stage the item came from; else the stage the item came from. Never applied:
 * only named in the fix, because statuses are reported, never guessed.
 */
import type { Stage, StageKind, StreamMap } from '../core/types.ts';
import { createStatusIndex } from './status-index.ts';

const KIND_WORDS: [StageKind, RegExp][] = [
  ['done', /\b(done|closed|resolved|released|shipped|complete[d]?|finished|live)\b/i],
  ['wait', /\b(review|ready|wait(ing)?|queue[d]?|approv\w*|blocked|on hold|hold|parked|pending|deploy\w*|staging|sign[- ]?off)\b/i],
  ['touch', /\b(progress|doing|develop\w*|dev|work(ing)?|test(ing)?|build(ing)?|implement\w*|coding|fix(ing)?|qa)\b/i],
  ['backlog', /\b(backlog|to ?do|new|open(ed)?|triage|idea|proposed|selected)\b/i],
];

/**
 * @param cameFrom the status the item moved from into `status`, when known
 * @example suggestStage(checkoutMap, 'QA Review', 'In Progress') // the stage { name: 'Code review', kind: 'wait', … }
 */
export function suggestStage(map: StreamMap, status: string, cameFrom?: string | null): Stage | null {
  const stageOf = createStatusIndex(map);
  const fromStage = cameFrom ? stageOf(cameFrom) : null;
  const fromIndex = fromStage ? fromStage.order : 0;
  const kind = KIND_WORDS.find(([, words]) => words.test(status))?.[0];
  if (kind) {
    const candidates = map.stages.map((stage, index) => ({ stage, index })).filter(({ stage }) => stage.kind === kind);
    const after = candidates.find(({ index }) => index >= fromIndex) ?? candidates[0];
    if (after) return after.stage;
  }
  return fromStage ? (map.stages[fromIndex] ?? null) : null;
}
