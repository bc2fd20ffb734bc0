import type { AgingReport, Stage } from '../core/types.ts';
import { ITEM_TYPES } from '../core/types.ts';
import type { BuiltChart, ChartContext, Layer } from './chart-types.ts';
import { MIN_POINTS } from './chart-types.ts';
import { formatNumber, plural } from './format.ts';
import { withHalo } from './halo.ts';
import { niceCeiling } from './nice-ceiling.ts';
import { notEnoughData } from './not-enough-data.ts';
import { AGE_BAND_COLORS, INK, TYPE_COLORS, TYPE_LABELS } from './palette.ts';
import { percentileLines } from './percentile-lines.ts';
import { measureText } from './text-width.ts';
import { wrapText } from './wrap-text.ts';
import { layoutOf, periodRange, specHead } from './theme.ts';

export interface AgingInput {
  report: AgingReport;
  /** the map's stages, in flow order; columns are the wait and touch stages */
  stages: readonly Pick<Stage, 'name' | 'kind'>[];
  /** how many finished items the percentiles come from; bands need at least 6 */
  finishedCount?: number;
  /** label at most this many of the oldest items past the 85th percentile with their key (default 8) */
  maxLabels?: number;
}

/** A deterministic spread of dots across a column, so items of the same age do not hide each other. */
function jitter(index: number): number {
  // golden-ratio sequence in [-0.3, 0.3]
  return ((index * 0.618_033_988_75) % 1) * 0.6 - 0.3;
}

/**
 * Aging WIP: one column per in-progress stage, one dot per item at its age (days since it started),
 * over background bands at the 50/70/85/95th percentiles of cycle time; items past the 85th stand out.
 * @example agingChart({ report, stages: map.stages }, ctx).summary
 *   // '23 items in progress; 4 are older than 85% of finished items took (16 days), 1 past the 95th percentile (20 days). Oldest: DEMO-512, 34 days in Code review.'
 */
export function agingChart(input: AgingInput, ctx: ChartContext): BuiltChart {
  const { report } = input;
  const what = 'Aging work in progress';
  if (report.items.length === 0) return notEnoughData(what, ctx, 0, 'items in progress', 1);
  const columns = input.stages.filter((s) => s.kind === 'wait' || s.kind === 'touch').map((s) => s.name);
  for (const item of report.items) if (!columns.includes(item.stage)) columns.push(item.stage);
  const p = (input.finishedCount ?? MIN_POINTS) >= MIN_POINTS ? report.percentiles : null;
  const layout = layoutOf(ctx);
  const chat = layout.size === 'chat';

  const maxAge = Math.max(...report.items.map((item) => item.ageDays), p ? p['95'] * 1.15 : 0);
  const yMax = niceCeiling(maxAge);
  const perColumn = new Map<string, number>();
  const rows = [...report.items]
    .sort((a, b) => a.ageDays - b.ageDays || (a.key < b.key ? -1 : 1))
    .map((item) => {
      const n = perColumn.get(item.stage) ?? 0;
      perColumn.set(item.stage, n + 1);
      return {
        x: columns.indexOf(item.stage) + jitter(n),
        age: item.ageDays,
        type: TYPE_LABELS[item.type],
        key: item.key,
        beyond: item.beyond,
        stand: item.beyond !== null,
      };
    });
  const standing = rows.filter((row) => row.stand).sort((a, b) => b.age - a.age);
  const labelled = standing.slice(0, input.maxLabels ?? (chat ? 4 : 8));

  const present = ITEM_TYPES.filter((t) => report.items.some((item) => item.type === t));
  const columnWidth = layout.plotWidth / Math.max(1, columns.length);
  const slanted = chat && columns.some((c) => c.split(' ').some((word) => measureText(word, layout.text.axisLabel) > columnWidth - 4));
  const x = {
    field: 'x',
    type: 'quantitative' as const,
    title: null,
    scale: { domain: [-0.5, columns.length - 0.5], nice: false, zero: false },
    axis: {
      values: columns.map((_, i) => i),
      // on a chat-wide chart a stage name breaks into lines that fit its column, or is slanted when a word is wider
      labelExpr: `${JSON.stringify(chat && !slanted ? columns.map((c) => wrapText(c, layout.text.axisLabel, columnWidth - 4)) : columns)}[datum.value]`,
      labelOverlap: false,
      ...(slanted ? { labelAngle: -35, labelAlign: 'right' as const, labelBaseline: 'top' as const } : {}),
      grid: false,
      ticks: false,
      labelFontSize: layout.text.axisLabel + (chat ? 0 : 1),
      labelPadding: 8,
    },
  };
  const y = { field: 'age', type: 'quantitative' as const, title: 'Age (days since work started)', scale: { domain: [0, yMax], nice: false } };
  const color = {
    field: 'type',
    type: 'nominal' as const,
    scale: { domain: present.map((t) => TYPE_LABELS[t]), range: present.map((t) => TYPE_COLORS[t]) },
    legend: { orient: 'top' as const, title: null, direction: 'horizontal' as const, symbolOpacity: 1 },
  };

  const layers: Layer[] = [];
  if (p) {
    const edges = [0, p['50'], p['70'], p['85'], p['95'], yMax];
    layers.push({
      data: { values: edges.slice(0, -1).map((from, i) => ({ from, to: edges[i + 1], band: i })) },
      mark: { type: 'rect', opacity: 1 },
      encoding: {
        y: { field: 'from', type: 'quantitative', scale: { domain: [0, yMax], nice: false } },
        y2: { field: 'to' },
        color: { field: 'band', type: 'ordinal', scale: { domain: [0, 1, 2, 3, 4], range: [...AGE_BAND_COLORS] }, legend: null },
      },
    });
    layers.push(...percentileLines(p, yMax, layout));
  }
  layers.push(
    {
      data: { values: columns.slice(1).map((_, i) => ({ x: i + 0.5 })) },
      mark: { type: 'rule', color: '#BBBBBB', strokeWidth: 1 },
      encoding: { x: { ...x, field: 'x' } },
    },
    {
      data: { values: rows.filter((row) => !row.stand) },
      mark: { type: 'circle', size: 64, opacity: 0.9, stroke: 'white', strokeWidth: 0.8 },
      encoding: { x, y, color },
    },
    {
      data: { values: standing },
      mark: { type: 'circle', size: 130, opacity: 1, stroke: INK.text, strokeWidth: 2 },
      encoding: { x, y, color: { ...color, legend: null } },
    },
  );
  // keys of the last column go left of their dot, clear of the percentile labels in the margin
  const lastColumn = columns.length - 1.5;
  for (const side of ['left', 'right'] as const) {
    const rowsOnSide = labelled.filter((row) => (row.x > lastColumn) === (side === 'right'));
    if (rowsOnSide.length === 0) continue;
    layers.push(
      ...withHalo({
        data: { values: rowsOnSide },
        mark: { type: 'text', align: side === 'right' ? 'right' : 'left', baseline: 'middle', dx: side === 'right' ? -9 : 9, fontSize: layout.text.note, fontWeight: 'bold', color: INK.text },
        encoding: { x, y, text: { field: 'key' } },
      }),
    );
  }

  const count = report.items.length;
  const past85 = report.items.filter((item) => item.beyond !== null).length;
  const past95 = report.items.filter((item) => item.beyond === '95').length;
  const oldest = report.items.reduce((a, b) => (b.ageDays > a.ageDays ? b : a));
  const oldestText = `Oldest: ${oldest.key}, ${plural(oldest.ageDays, 'day')} in ${oldest.stage}.`;
  const olderText =
    past85 === 0
      ? 'none is older than 85% of finished items took'
      : `${past85} ${past85 === 1 ? 'is' : 'are'} older than 85% of finished items took`;
  const summary = p
    ? `${plural(count, 'item')} in progress; ${olderText} (${formatNumber(p['85'])} days)` +
      `${past95 > 0 ? `, ${past95} past the 95th percentile (${formatNumber(p['95'])} days)` : ''}. ${oldestText}`
    : `${plural(count, 'item')} in progress; too few finished items to compare their age with yet. ${oldestText}`;
  const footnote = p
    ? `${plural(count, 'item')} in progress · bands: cycle time percentiles of items finished ${periodRange(ctx)} · ringed: past the 85th`
    : `${plural(count, 'item')} in progress · fewer than ${MIN_POINTS} finished items in ${periodRange(ctx)}, so no percentile bands yet`;

  const finding =
    p && past85 > 0
      ? `${past85} of ${plural(count, 'item')} older than 85% of finished items took`
      : p
        ? `${plural(count, 'item')} in progress, none unusually old`
        : `${plural(count, 'item')} in progress`;

  return {
    enough: true,
    summary,
    spec: {
      ...specHead(what, ctx, [footnote], finding),
      width: layout.plotWidth,
      height: layout.plotHeight,
      layer: layers,
      resolve: { scale: { color: 'independent' } },
    },
  };
}
