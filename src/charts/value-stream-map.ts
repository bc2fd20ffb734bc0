import type { QueueCost } from '../core/cost-of-delay.ts';
import type { ValueStreamMap } from '../core/value-stream-map.ts';
import type { BuiltChart, ChartContext, Layer } from './chart-types.ts';
import { MIN_POINTS } from './chart-types.ts';
import { formatNumber, formatPercent, plural } from './format.ts';
import { notEnoughData } from './not-enough-data.ts';
import { INK, OKABE_ITO, TOUCH_COLOR, WAIT_COLOR } from './palette.ts';
import { layoutOf, periodRange, specHead } from './theme.ts';
import { wrapText } from './wrap-text.ts';

export interface ValueStreamMapInput {
  map: ValueStreamMap;
}

interface Box {
  x: number;
  x2: number;
  y: number;
  y2: number;
  color: string;
  stroke?: string;
}

interface Label {
  x: number;
  y: number;
  text: string;
  bold?: boolean;
  size: number;
  color?: string;
  align?: 'left' | 'center' | 'right';
}

const days = (value: number): string => `${formatNumber(value)} d`;

/**
 * The cost sentence of the constraint's queue, or how to set a cost of delay; `during` says the
 * period when the sentence stands alone (the weekly check-in: " in the last 90 days").
 * @example queueCostSentence(map) // 'Ready for release held 31 items for 2.1 weeks on average: about EUR 65,000 of delay; …'
 */
export function queueCostSentence(map: { constraint: { stage: string; cost: QueueCost | null } | null }, during = ''): string | null {
  const constraint = map.constraint;
  if (!constraint) return null;
  const cost = constraint.cost;
  if (!cost) return `Set costOfDelay in the stream's map file (e.g. costOfDelay: { perWeek: 3000, currency: EUR }) to see what the wait in ${constraint.stage} costs.`;
  const money = (value: number): string => `${cost.currency} ${Math.round(value).toLocaleString('en-US')}`;
  const wait = cost.averageWaitWeeks < 2 ? `${formatNumber(cost.averageWaitWeeks * 7)} days` : `${formatNumber(cost.averageWaitWeeks)} weeks`;
  return `${constraint.stage} held ${plural(cost.items, 'item')} for ${wait} on average${during}: about ${money(cost.cost)} of delay; one day less of that wait is worth about ${money(cost.oneDayLessSaves)}.`;
}

/** The map's lines under the picture: totals, rework, blocked, stalled. */
function footLines(map: ValueStreamMap): string[] {
  const lines: string[] = [];
  if (map.leadTime) lines.push(`Lead time: median ${days(map.leadTime.median)}, 85% within ${days(map.leadTime.p85)} (${plural(map.leadTime.items, 'item')} finished)`);
  lines.push(
    `Touch ${days(map.touchDays)} + wait ${days(map.waitDays)} (stage medians)${map.flowEfficiency === null ? '' : ` · flow efficiency ${formatPercent(map.flowEfficiency)}`}`,
  );
  for (const loop of map.rework.slice(0, 3)) {
    lines.push(`↩ ${loop.from} → ${loop.to}: ${plural(loop.items, 'item')}, ${formatPercent(loop.shareOfPassed)} of those in ${loop.from}`);
  }
  if (map.stalled > 0) lines.push(`${plural(map.stalled, 'item')} in progress stalled (no status change for days)`);
  return lines;
}

function layers(boxes: Box[], labels: Label[], width: number, height: number): Layer[] {
  const x = { type: 'quantitative' as const, scale: { domain: [0, width], nice: false, zero: false }, axis: null };
  const y = { type: 'quantitative' as const, scale: { domain: [height, 0], nice: false, zero: false }, axis: null };
  const out: Layer[] = [
    {
      data: { values: boxes },
      mark: { type: 'rect', cornerRadius: 6, strokeWidth: 3 },
      encoding: {
        x: { field: 'x', ...x },
        x2: { field: 'x2' },
        y: { field: 'y', ...y },
        y2: { field: 'y2' },
        fill: { field: 'color', type: 'nominal', scale: null },
        stroke: { field: 'stroke', type: 'nominal', scale: null },
      },
    },
  ];
  for (const align of ['left', 'center', 'right'] as const) {
    for (const bold of [false, true]) {
      const values = labels.filter((l) => (l.align ?? 'left') === align && Boolean(l.bold) === bold);
      if (values.length === 0) continue;
      out.push({
        data: { values },
        mark: { type: 'text', align, baseline: 'middle', fontWeight: bold ? 'bold' : 'normal' },
        encoding: {
          x: { field: 'x', ...x },
          y: { field: 'y', ...y },
          text: { field: 'text' },
          size: { field: 'size', type: 'quantitative', scale: null },
          color: { field: 'color', type: 'nominal', scale: null },
        },
      });
    }
  }
  return out;
}

/** Chat: the stages top to bottom (eight boxes do not fit across 480 px), the ladder beside them. */
function chatPicture(map: ValueStreamMap, width: number, text: { label: number; note: number }): { boxes: Box[]; labels: Label[]; height: number } {
  // up to six stages: name and items on two lines; more: one line each, so the image stays under 1024 px
  const compact = map.stages.length > 6;
  const rowH = compact ? 34 : 44;
  const boxW = 180;
  const ladderX = boxW + 24;
  const maxDays = Math.max(...map.stages.map((s) => s.medianDays), 1e-9);
  const barRoom = width - ladderX - 56;
  const boxes: Box[] = [];
  const labels: Label[] = [];
  labels.push({ x: ladderX, y: 8, text: compact ? 'median time · items · work up, queue down' : 'median time · work up, queue down', size: text.note, color: INK.muted });
  map.stages.forEach((stage, i) => {
    const top = 22 + i * rowH;
    const isConstraint = map.constraint?.stage === stage.name;
    boxes.push({ x: 0, x2: boxW, y: top, y2: top + rowH - 8, color: '#F2F2F2', stroke: isConstraint ? OKABE_ITO.vermillion : '#BBBBBB' });
    const [name] = wrapText(stage.name, text.label, boxW - 16, true);
    const blocked = stage.blockedShare > 0 ? ` · ${formatPercent(stage.blockedShare)} blocked` : '';
    if (compact) {
      labels.push({ x: 8, y: top + 14, text: name ?? stage.name, bold: true, size: text.label });
    } else {
      labels.push({ x: 8, y: top + 11, text: name ?? stage.name, bold: true, size: text.label });
      labels.push({ x: 8, y: top + 26, text: `${plural(stage.items, 'item')}${blocked}`, size: text.note, color: INK.muted });
    }
    // the ladder: work on the upper rung, queues on the lower one
    const barY = stage.kind === 'touch' ? top + (compact ? 1 : 3) : top + (compact ? 13 : 20);
    const length = Math.max(2, (stage.medianDays / maxDays) * barRoom);
    boxes.push({ x: ladderX, x2: ladderX + length, y: barY, y2: barY + (compact ? 12 : 13), color: stage.kind === 'touch' ? TOUCH_COLOR : WAIT_COLOR });
    labels.push({ x: ladderX + length + 5, y: barY + 6.5, text: compact ? `${days(stage.medianDays)} · ${stage.items}` : days(stage.medianDays), size: text.note, bold: isConstraint });
  });
  let y = 22 + map.stages.length * rowH + 6;
  for (const line of footLines(map)) {
    for (const wrapped of wrapText(line, text.note, width, false)) {
      labels.push({ x: 0, y, text: wrapped, size: text.note });
      y += text.note + 6;
    }
  }
  return { boxes, labels, height: y };
}

/** Report: left to right, the ladder under the boxes, touch up and wait down, the totals after it. */
function reportPicture(map: ValueStreamMap, width: number, text: { label: number; note: number }): { boxes: Box[]; labels: Label[]; height: number } {
  const gap = 18;
  const boxW = Math.min(150, (width - gap * (map.stages.length - 1)) / map.stages.length);
  const boxes: Box[] = [];
  const labels: Label[] = [];
  const boxTop = 0;
  const boxH = 64;
  const touchY = boxH + 28;
  const waitY = touchY + 34;
  map.stages.forEach((stage, i) => {
    const x = i * (boxW + gap);
    const isConstraint = map.constraint?.stage === stage.name;
    boxes.push({ x, x2: x + boxW, y: boxTop, y2: boxTop + boxH, color: '#F2F2F2', stroke: isConstraint ? OKABE_ITO.vermillion : '#BBBBBB' });
    const nameLines = wrapText(stage.name, text.label, boxW - 10, true).slice(0, 2);
    nameLines.forEach((line, k) => {
      labels.push({ x: x + boxW / 2, y: boxTop + 14 + k * (text.label + 3), text: line, bold: true, size: text.label, align: 'center' });
    });
    const blocked = stage.blockedShare > 0 ? `, ${formatPercent(stage.blockedShare)} blocked` : '';
    labels.push({ x: x + boxW / 2, y: boxTop + boxH - 12, text: `${plural(stage.items, 'item')}${blocked}`, size: text.note, color: INK.muted, align: 'center' });
    if (i > 0) labels.push({ x: x - gap / 2, y: boxTop + boxH / 2, text: '→', size: text.label, align: 'center', color: INK.muted });
    // the ladder segment of this stage, with its median
    const rung = stage.kind === 'touch' ? touchY : waitY;
    boxes.push({ x, x2: x + boxW + (i < map.stages.length - 1 ? gap : 0), y: rung, y2: rung + 5, color: stage.kind === 'touch' ? TOUCH_COLOR : WAIT_COLOR });
    labels.push({ x: x + boxW / 2, y: stage.kind === 'touch' ? rung - 9 : rung + 16, text: days(stage.medianDays), size: text.note, align: 'center', bold: isConstraint });
    const next = map.stages[i + 1];
    if (next && next.kind !== stage.kind) {
      boxes.push({ x: x + boxW + gap - 2, x2: x + boxW + gap + 1, y: touchY, y2: waitY + 5, color: '#999999' });
    }
  });
  labels.push({ x: 0, y: touchY - 24, text: 'work (touch) ↑', size: text.note, color: INK.muted });
  labels.push({ x: 0, y: waitY + 32, text: 'queue (wait) ↓', size: text.note, color: INK.muted });
  let y = waitY + 56;
  for (const line of footLines(map)) {
    labels.push({ x: 0, y, text: line, size: text.note });
    y += text.note + 7;
  }
  return { boxes, labels, height: y };
}

/**
 * The value-stream map from data: the stages in map order with items and median time, the
 * ladder of touch and wait time, the totals, rework loops, and the constraint outlined, named in
 * the title with what its queue costs.
 * @example valueStreamMapChart({ map }, ctx).summary // 'Most waiting happens in Code review: … Lead time: median 14 d …'
 */
export function valueStreamMapChart(input: ValueStreamMapInput, ctx: ChartContext): BuiltChart {
  const { map } = input;
  const itemCount = Math.max(0, ...map.stages.map((s) => s.items));
  if (itemCount < MIN_POINTS || map.stages.length === 0) return notEnoughData('Value-stream map', ctx, itemCount, 'items through the stages');
  const layout = layoutOf(ctx);
  const chat = layout.size === 'chat';
  const width = chat ? layout.lineWidth : Math.max(layout.plotWidth, map.stages.length * 150);
  const picture = chat ? chatPicture(map, width, layout.text) : reportPicture(map, width, layout.text);
  const cost = queueCostSentence(map);
  const finding = map.constraint ? `${map.constraint.sentence}.` : 'No stage holds wait time.';
  const summary = [finding, ...footLines(map).map((line) => `${line}.`), ...(cost ? [cost] : [])].join(' ');
  return {
    enough: true,
    summary,
    spec: {
      ...specHead('Value-stream map', ctx, [`${periodRange(ctx)} · outlined: the constraint`, ...(cost ? [cost] : [])], chat ? finding : undefined),
      width,
      height: picture.height,
      layer: layers(picture.boxes, picture.labels, width, picture.height),
    },
  };
}
