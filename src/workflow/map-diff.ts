/**
 * What changes between two value-stream maps, line by line, for refusals such as
 * "the map differs from the stored one: … (give --replace-map to replace it)".
 */
import type { Stage, StreamMap } from '../core/types.ts';
import { normalizeStatus } from './status-index.ts';

/** The map's settings beside its stages, each compared as a whole (a list as a set of names). */
const SETTINGS = ['blockedStatuses', 'blockedLabels', 'blockedWhenFlagged', 'stalledAfterDays', 'costOfDelay', 'pauseAwareCycleTime'] as const;

function settingText(value: unknown): string {
  if (value === undefined) return '(none)';
  if (Array.isArray(value)) return [...value].map(String).sort().join(', ') || '(none)';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function describeStage(stage: Stage): string {
  return `${stage.name} (${stage.kind}: ${stage.statuses.join(', ')})`;
}

function sameStage(a: Stage, b: Stage): boolean {
  const statuses = (stage: Stage) => stage.statuses.map(normalizeStatus).sort().join('\u0000');
  return a.name === b.name && a.kind === b.kind && statuses(a) === statuses(b);
}

/**
 * The differences of `next` from `stored` ('- ' removed, '+ ' added, '~ ' changed), or [] when
 * the maps are the same (the name is not compared: imports name the map after the stream).
 * @example mapDifferences(eightStages, twoStages)[0] // '- stage Backlog (backlog: Backlog, To Do)'
 */
export function mapDifferences(stored: StreamMap, next: StreamMap): string[] {
  const lines: string[] = [];
  if (stored.timeZone !== next.timeZone) lines.push(`~ timeZone ${stored.timeZone} → ${next.timeZone}`);
  if ((stored.startStatus ?? '') !== (next.startStatus ?? '')) lines.push(`~ startStatus ${stored.startStatus ?? '(none)'} → ${next.startStatus ?? '(none)'}`);
  for (const key of SETTINGS) {
    const [before, after] = [settingText(stored[key]), settingText(next[key])];
    if (before !== after) lines.push(`~ ${key} ${before} → ${after}`);
  }
  const nextByName = new Map(next.stages.map((stage) => [stage.name, stage]));
  const storedByName = new Map(stored.stages.map((stage) => [stage.name, stage]));
  for (const stage of stored.stages) {
    const other = nextByName.get(stage.name);
    if (!other) lines.push(`- stage ${describeStage(stage)}`);
    else if (!sameStage(stage, other)) lines.push(`~ stage ${describeStage(stage)} → ${describeStage(other)}`);
  }
  for (const stage of next.stages) if (!storedByName.has(stage.name)) lines.push(`+ stage ${describeStage(stage)}`);
  if (lines.length === 0) {
    const order = (map: StreamMap) => map.stages.map((stage) => stage.name).join(' → ');
    if (order(stored) !== order(next)) lines.push(`~ stage order ${order(stored)} → ${order(next)}`);
  }
  return lines;
}
