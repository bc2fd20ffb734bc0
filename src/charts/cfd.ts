import type { CfdDay, FlowEvent, Stage } from '../core/types.ts';
import type { BuiltChart, ChartContext } from './chart-types.ts';
import { cfdTotals } from '../core/cfd.ts';
import { MIN_POINTS } from './chart-types.ts';
import { dateToUtcMs, formatDateRange, formatDay, plural } from './format.ts';
import { eventLayers, eventsOnDateAxis } from './event-marks.ts';
import { notEnoughData } from './not-enough-data.ts';
import { DONE_COLOR, STAGE_COLORS } from './palette.ts';
import { layoutOf, specHead } from './theme.ts';

export interface CfdInput {
  days: readonly CfdDay[];
  /** the map's stages in flow order (backlog first, done last) */
  stages: readonly Pick<Stage, 'name' | 'kind'>[];
  /** logged events (policy changes, experiments) to mark on the time axis */
  events?: readonly FlowEvent[];
}

/**
 * Cumulative flow diagram: items in each stage at the end of each day, stacked in stage order with
 * done at the bottom (counted from the first day of the period) and the first stage on top.
 * @example cfdChart({ days, stages: map.stages }, ctx).summary
 *   // 'Work by stage per day, 26 Aug – 24 Nov 2026: 15 items in progress on 24 Nov (27 on 26 Aug); 130 finished in that time.'
 */
export function cfdChart(input: CfdInput, ctx: ChartContext): BuiltChart {
  const { days, stages } = input;
  const what = 'Cumulative flow';
  if (days.length < MIN_POINTS) return notEnoughData(what, ctx, days.length, 'days of history');
  const busiest = Math.max(...days.map((day) => Object.values(day.counts).reduce((sum, n) => sum + n, 0)));
  if (busiest === 0) return notEnoughData(what, ctx, 0, 'items in the stream', 1);
  // flow order; stages seen in the data but not in the map go just before done
  const names = stages.map((s) => s.name);
  for (const day of days) for (const name of Object.keys(day.counts)) if (!names.includes(name)) names.splice(names.length - 1, 0, name);
  const kindOf = (name: string): string => stages.find((s) => s.name === name)?.kind ?? 'wait';
  const doneNames = names.filter((n) => kindOf(n) === 'done');
  // stack from the bottom: done first, then the others from last to first
  const stackOrder = [...doneNames, ...names.filter((n) => kindOf(n) !== 'done').reverse()];
  let colorIndex = 0;
  const colorOf = new Map<string, string>();
  for (const name of names) colorOf.set(name, kindOf(name) === 'done' ? DONE_COLOR : STAGE_COLORS[colorIndex++ % STAGE_COLORS.length]);

  // done is counted from the first day of the period, so the bands in progress stay readable
  const doneAtStart = new Map(doneNames.map((name) => [name, days[0].counts[name] ?? 0]));
  const rows = days.flatMap((day) =>
    stackOrder.map((stage, order) => ({
      date: dateToUtcMs(day.date),
      stage,
      order,
      count: (day.counts[stage] ?? 0) - (doneAtStart.get(stage) ?? 0),
    })),
  );
  // legend top to bottom as the bands are stacked on the chart
  const legendOrder = [...stackOrder].reverse();

  const first = days[0];
  const last = days[days.length - 1];
  const totals = cfdTotals(days, stages);
  const range = formatDateRange(first.date, last.date);
  const layout = layoutOf(ctx);
  const chat = layout.size === 'chat';
  const x0 = dateToUtcMs(first.date);
  const x1 = dateToUtcMs(last.date);
  const x = {
    field: 'date',
    type: 'temporal' as const,
    title: 'Date',
    scale: { type: 'utc' as const, domain: [x0, x1], nice: false },
    axis: { format: '%-d %b', labelOverlap: true, labelSeparation: 6, grid: false, ...(chat ? { tickCount: 5 } : {}) },
  };
  const events = eventsOnDateAxis(input.events, x0, x1, ctx.timeZone ?? 'UTC', dateToUtcMs);

  return {
    enough: true,
    summary:
      `Work by stage per day, ${range}: ${plural(totals.inProgressLast, 'item')} in progress on ${formatDay(last.date)} ` +
      `(${totals.inProgressFirst} on ${formatDay(first.date)}); ${totals.arrived} arrived and ${totals.finished} finished in that time.`,
    spec: {
      ...specHead(
        what,
        ctx,
        [`${plural(days.length, 'day')} · ${range} · items in each stage at the end of each day · done at the bottom, counted from ${formatDay(days[0].date)}`],
        `${plural(totals.inProgressLast, 'item')} in progress on ${formatDay(last.date)} · ${totals.arrived} arrived, ${totals.finished} finished since ${formatDay(first.date)}`,
      ),
      width: layout.plotWidth,
      height: layout.plotHeight,
      layer: [
        {
          data: { values: rows },
          mark: { type: 'area', interpolate: 'step-after', opacity: 0.95, stroke: 'white', strokeWidth: 0.4 },
          encoding: {
            x,
            y: { field: 'count', type: 'quantitative', stack: 'zero', title: 'Items (cumulative, by stage)' },
            color: {
              field: 'stage',
              type: 'nominal',
              sort: legendOrder,
              scale: { domain: legendOrder, range: legendOrder.map((name) => colorOf.get(name) as string) },
              // chat: under the plot in rows, so the plot keeps the width
              legend: chat ? { title: null, orient: 'bottom', direction: 'horizontal', columns: 3, symbolLimit: 0 } : { title: 'Stage', orient: 'right' },
            },
            order: { field: 'order', type: 'quantitative' },
          },
        },
        ...eventLayers(events, x, (v) => ((v - x0) / Math.max(1, x1 - x0)) * layout.plotWidth, layout),
      ],
    },
  };
}
