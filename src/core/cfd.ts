/**
 * Cumulative flow: per local day, how many items are in each stage at the end
 * of the day. Done items stay in their done stage; items not created yet, and
 * time in statuses the map does not name, count nowhere. One sweep over day buckets.
 */
import type { CfdDay, StreamMap, Window } from './types.ts';
import { dayNumberToDate, getZoneCalendar } from './local-date.ts';
import { toTimelines, type FlowInput } from './timeline.ts';
import { windowDays } from './window.ts';

/**
 * Items per stage at the end of each local day of the window; every stage of the map is a key, in map order.
 * `base`: items not in the input that sat in a stage through the whole window (a windowed
 * history's left-out done items, StreamHistory.leftOut), counted in it every day.
 * @example
 * cfd(items, map, { from: Date.UTC(2026, 1, 9), to: Date.UTC(2026, 1, 11) });
 * // [{ date: '2026-02-09', counts: { Backlog: 4, 'Code review': 1, Doing: 2, Done: 10 } }, …]
 */
export function cfd(input: FlowInput, map: StreamMap, window: Window, base: Readonly<Record<string, number>> = {}): CfdDay[] {
  const calendar = getZoneCalendar(map.timeZone);
  const days = windowDays(window, calendar);
  const stageIndex = new Map(map.stages.map((s, i) => [s.name, i]));
  const width = days.count + 1;
  const delta = new Int32Array(map.stages.length * width);
  const bucket = (at: number | null): number => {
    if (at === null) return days.count;
    const i = calendar.dayNumber(at) - days.first;
    return i < 0 ? 0 : Math.min(i, days.count);
  };
  for (const t of toTimelines(input, map, 'CFD')) {
    const steps = t.steps;
    let from = steps.length > 0 ? bucket(steps[0].at) : 0;
    for (let k = 0; k < steps.length; k++) {
      const step = steps[k];
      const next = steps[k + 1];
      // a step usually ends when the next one starts: reuse its day
      const to = next !== undefined && next.at === step.until ? bucket(next.at) : bucket(step.until);
      if (from !== to) {
        const base = stageIndex.get(step.stage)! * width;
        delta[base + from]++;
        delta[base + to]--;
      }
      from = next !== undefined && next.at === step.until ? to : next !== undefined ? bucket(next.at) : 0;
    }
  }
  const running = Int32Array.from(map.stages, (stage) => base[stage.name] ?? 0);
  const out: CfdDay[] = [];
  for (let d = 0; d < days.count; d++) {
    const counts: Record<string, number> = {};
    map.stages.forEach((stage, s) => {
      running[s] += delta[s * width + d];
      counts[stage.name] = running[s];
    });
    out.push({ date: dayNumberToDate(days.first + d), counts });
  }
  return out;
}

/**
 * What a cumulative flow says over its days: items in progress (wait and touch stages) on the
 * first and the last day, items finished and items arrived in between (growth of the done
 * stages, and of all stages). The chart and the message read these, so they say one number.
 * @example cfdTotals(days, map.stages) // { inProgressFirst: 21, inProgressLast: 15, finished: 122, arrived: 116 }
 */
export function cfdTotals(days: readonly CfdDay[], stages: readonly { name: string; kind: string }[]): { inProgressFirst: number; inProgressLast: number; finished: number; arrived: number } {
  const kindOf = (name: string) => stages.find((s) => s.name === name)?.kind ?? 'wait';
  const sum = (day: CfdDay | undefined, pick: (kind: string) => boolean) =>
    Object.entries(day?.counts ?? {}).reduce((total, [name, n]) => (pick(kindOf(name)) ? total + n : total), 0);
  const first = days[0];
  const last = days[days.length - 1];
  const inProgress = (kind: string) => kind === 'wait' || kind === 'touch';
  const done = (kind: string) => kind === 'done';
  const all = () => true;
  return {
    inProgressFirst: sum(first, inProgress),
    inProgressLast: sum(last, inProgress),
    finished: sum(last, done) - sum(first, done),
    arrived: sum(last, all) - sum(first, all),
  };
}
