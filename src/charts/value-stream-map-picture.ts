/**
 * The value-stream map as a picture, before it becomes Vega layers (value-stream-map.ts): at chat
 * size the stages top to bottom with the ladder beside them and rework arrows on the left; at
 * report size left to right with the arrows above. Plus the lines written under it.
 */
import type { ValueStreamMap } from '../core/value-stream-map.ts';
import { formatNumber, formatPercent, plural } from './format.ts';
import { INK, OKABE_ITO, TOUCH_COLOR, WAIT_COLOR } from './palette.ts';
import { fitText, wrapText } from './wrap-text.ts';

export interface Box {
  x: number;
  x2: number;
  y: number;
  y2: number;
  color: string;
  stroke?: string;
}

export interface Label {
  x: number;
  y: number;
  text: string;
  bold?: boolean;
  size: number;
  color?: string;
  align?: 'left' | 'center' | 'right';
}

/** One straight piece of a rework arrow. */
export interface Segment {
  x: number;
  y: number;
  x2: number;
  y2: number;
}

/** What a picture draws: boxes, labels, rework arrows (pieces, heads, counts), and its height. */
export interface Picture {
  boxes: Box[];
  labels: Label[];
  arrows: Segment[];
  heads: { x: number; y: number }[];
  counts: Label[];
  /** where the heads point: chat arrows enter a box from the left, report arrows from above */
  headShape: 'triangle-right' | 'triangle-down';
  height: number;
}

/** Rework arrows drawn on the picture (the rest are in the lines under it): chat, report. */
export const DRAWN_LOOPS = { chat: 3, report: 4 } as const;
/** Colour of the rework arrows: Okabe–Ito reddish purple, apart from the constraint's vermillion and the ladder's blue and orange. */
export const REWORK_COLOR = OKABE_ITO.reddishPurple;

export const days = (value: number): string => `${formatNumber(value)} d`;

/**
 * The boxes of the picture in map order, and the loops back between them. A loop from a stage
 * that has no box (done) gets a small box after the stages, one to a stage with no box (backlog)
 * a small box before them; `lane` 0 is the shortest loop, drawn nearest the boxes.
 */
export function loopLayout(map: ValueStreamMap, most: number): { before: string[]; after: string[]; loops: { from: number; to: number; items: number; lane: number }[] } {
  const drawn = map.stages.map((s) => s.name);
  // a stage with no box lies before the boxes or after them (as the map orders them; without
  // that, a loop leaves from after the boxes and goes back to before them)
  const isBefore = (name: string, asFrom: boolean) => (map.outside ? map.outside.before.includes(name) : !asFrom);
  const side = (name: string, asFrom: boolean): 'before' | 'drawn' | 'after' => (drawn.includes(name) ? 'drawn' : isBefore(name, asFrom) ? 'before' : 'after');
  // a loop between two stages on the same side of the boxes (backlog to backlog) is only written
  const picked = map.rework
    .filter((loop) => {
      const from = side(loop.from, true);
      const to = side(loop.to, false);
      return from !== to || from === 'drawn';
    })
    .slice(0, most);
  const before: string[] = [];
  const after: string[] = [];
  for (const loop of picked) {
    for (const [name, asFrom] of [[loop.from, true], [loop.to, false]] as const) {
      const where = side(name, asFrom);
      const list = where === 'before' ? before : after;
      if (where !== 'drawn' && !list.includes(name)) list.push(name);
    }
  }
  // in map order within each side
  const rank = (name: string) => [...(map.outside?.before ?? []), ...(map.outside?.after ?? [])].indexOf(name);
  before.sort((a, b) => rank(a) - rank(b));
  after.sort((a, b) => rank(a) - rank(b));
  const order = [...before, ...drawn, ...after];
  const loops = picked
    .map((loop) => ({ from: order.indexOf(loop.from), to: order.indexOf(loop.to), items: loop.items }))
    .filter((loop) => loop.from > loop.to)
    .sort((a, b) => a.from - a.to - (b.from - b.to) || a.to - b.to)
    .map((loop, lane) => ({ ...loop, lane }));
  return { before, after, loops };
}

/** The map's lines under the picture: totals, the rework loops drawn (`loops` of them), stalled. */
export function footLines(map: ValueStreamMap, loops: number): string[] {
  const lines: string[] = [];
  if (map.leadTime) lines.push(`Lead time: median ${days(map.leadTime.median)}, 85% within ${days(map.leadTime.p85)} (${plural(map.leadTime.items, 'item')} finished)`);
  lines.push(
    `Touch ${days(map.touchDays)} + wait ${days(map.waitDays)} (stage medians)${map.flowEfficiency === null ? '' : ` · flow efficiency ${formatPercent(map.flowEfficiency)}`}`,
  );
  for (const loop of map.rework.slice(0, loops)) {
    lines.push(`↩ ${loop.from} → ${loop.to}: ${plural(loop.items, 'item')}, ${formatPercent(loop.shareOfPassed)} of those in ${loop.from}`);
  }
  if (map.stalled > 0) lines.push(`${plural(map.stalled, 'item')} in progress stalled (no status change for days)`);
  return lines;
}

export type Loops = ReturnType<typeof loopLayout>;

/**
 * Chat: the stages top to bottom (eight boxes do not fit across 480 px), the ladder beside them,
 * rework arrows on the left, from the later box back up into the earlier one, with their items.
 */
export function chatPicture(map: ValueStreamMap, width: number, text: { label: number; note: number }, { before, after, loops }: Loops): Picture {
  // up to six stages: name and items on two lines; more: one line each, so the image stays under 1024 px
  const compact = map.stages.length > 6;
  const rowH = compact ? 34 : 40;
  const endRowH = 24;
  const laneW = 18;
  const left = loops.length > 0 ? loops.length * laneW + 8 : 0;
  // room for the arrows' lanes on the left: narrower boxes ("Ready for release" still fits)
  const boxW = loops.length > 0 ? 150 : 180;
  const ladderX = left + boxW + 24;
  const maxDays = Math.max(...map.stages.map((s) => s.medianDays), 1e-9);
  const barRoom = width - ladderX - 56;
  const picture: Picture = { boxes: [], labels: [], arrows: [], heads: [], counts: [], headShape: 'triangle-right', height: 0 };
  const { boxes, labels } = picture;
  const rows: { top: number; height: number }[] = [];
  labels.push({ x: ladderX, y: 8, text: compact ? `median${loops.length > 0 ? '' : ' time'} · items · work up, queue down` : 'median time · work up, queue down', size: text.note, color: INK.muted });
  if (loops.length > 0) labels.push({ x: 0, y: 8, text: '↩ rework', size: text.note, color: INK.muted });
  let top = 22;
  const endRow = (name: string) => {
    boxes.push({ x: left, x2: left + boxW, y: top, y2: top + endRowH - 8, color: '#FFFFFF', stroke: '#BBBBBB' });
    labels.push({ x: left + 8, y: top + (endRowH - 8) / 2, text: fitText(name, text.note, boxW - 16), size: text.note, color: INK.muted });
    rows.push({ top, height: endRowH - 8 });
    top += endRowH;
  };
  before.forEach(endRow);
  for (const stage of map.stages) {
    const isConstraint = map.constraint?.stage === stage.name;
    boxes.push({ x: left, x2: left + boxW, y: top, y2: top + rowH - 8, color: '#F2F2F2', stroke: isConstraint ? OKABE_ITO.vermillion : '#BBBBBB' });
    rows.push({ top, height: rowH - 8 });
    // one line in the box: a name too long for it ends in "…" (the full name is in the lines and the report size)
    const name = fitText(stage.name, text.label, boxW - 16, true);
    const blocked = stage.blockedShare > 0 ? ` · ${formatPercent(stage.blockedShare)} blocked` : '';
    if (compact) {
      labels.push({ x: left + 8, y: top + 14, text: name, bold: true, size: text.label });
    } else {
      labels.push({ x: left + 8, y: top + 10, text: name, bold: true, size: text.label });
      labels.push({ x: left + 8, y: top + 23, text: `${plural(stage.items, 'item')}${blocked}`, size: text.note, color: INK.muted });
    }
    // the ladder: work on the upper rung, queues on the lower one
    const barY = stage.kind === 'touch' ? top + (compact ? 1 : 2) : top + (compact ? 13 : 17);
    const length = Math.max(2, (stage.medianDays / maxDays) * barRoom);
    boxes.push({ x: ladderX, x2: ladderX + length, y: barY, y2: barY + (compact ? 12 : 13), color: stage.kind === 'touch' ? TOUCH_COLOR : WAIT_COLOR });
    labels.push({ x: ladderX + length + 5, y: barY + 6.5, text: compact ? `${days(stage.medianDays)} · ${stage.items}` : days(stage.medianDays), size: text.note, bold: isConstraint });
    top += rowH;
  }
  after.forEach(endRow);
  // each loop: out of the later box's left side, up its lane, into the earlier box with a head
  for (const loop of loops) {
    const laneX = left - 10 - loop.lane * laneW;
    const from = rows[loop.from]!;
    const to = rows[loop.to]!;
    const fromY = from.top + from.height / 2 + 4;
    const toY = to.top + to.height / 2 - 4;
    picture.arrows.push({ x: left, y: fromY, x2: laneX, y2: fromY }, { x: laneX, y: fromY, x2: laneX, y2: toY }, { x: laneX, y: toY, x2: left - 8, y2: toY });
    picture.heads.push({ x: left - 5, y: toY });
    picture.counts.push({ x: laneX, y: (fromY + toY) / 2, text: String(loop.items), size: text.note });
  }
  let y = top + 6;
  for (const line of footLines(map, DRAWN_LOOPS.chat)) {
    for (const wrapped of wrapText(line, text.note, width, false)) {
      labels.push({ x: 0, y, text: wrapped, size: text.note });
      y += text.note + 5;
    }
  }
  picture.height = y;
  return picture;
}

/** Width of the small boxes of stages that have no ladder (done, backlog) at report size. */
export const END_BOX_WIDTH = 76;
export const REPORT_GAP = 18;

/**
 * Report: left to right, the ladder under the boxes, touch up and wait down, the totals after it;
 * rework arrows above the boxes, from the later box back into the earlier one, with their items.
 */
export function reportPicture(map: ValueStreamMap, width: number, text: { label: number; note: number }, { before, after, loops }: Loops): Picture {
  const gap = REPORT_GAP;
  const ends = before.length + after.length;
  const boxW = Math.min(150, (width - ends * END_BOX_WIDTH - gap * (map.stages.length + ends - 1)) / map.stages.length);
  const picture: Picture = { boxes: [], labels: [], arrows: [], heads: [], counts: [], headShape: 'triangle-down', height: 0 };
  const { boxes, labels } = picture;
  const laneH = 18;
  const boxTop = loops.length > 0 ? loops.length * laneH + 22 : 0;
  const boxH = 64;
  const touchY = boxTop + boxH + 28;
  const waitY = touchY + 34;
  const nodes: { x: number; width: number }[] = [];
  let cursor = 0;
  const endBox = (name: string) => {
    if (nodes.length > 0) labels.push({ x: cursor - gap / 2, y: boxTop + boxH / 2, text: '→', size: text.label, align: 'center', color: INK.muted });
    nodes.push({ x: cursor, width: END_BOX_WIDTH });
    boxes.push({ x: cursor, x2: cursor + END_BOX_WIDTH, y: boxTop + 12, y2: boxTop + boxH - 12, color: '#FFFFFF', stroke: '#BBBBBB' });
    labels.push({ x: cursor + END_BOX_WIDTH / 2, y: boxTop + boxH / 2, text: fitText(name, text.note, END_BOX_WIDTH - 10), size: text.note, color: INK.muted, align: 'center' });
    cursor += END_BOX_WIDTH + gap;
  };
  before.forEach(endBox);
  const first = nodes.length;
  map.stages.forEach((stage, i) => {
    const x = cursor;
    nodes.push({ x, width: boxW });
    cursor += boxW + gap;
    const isConstraint = map.constraint?.stage === stage.name;
    boxes.push({ x, x2: x + boxW, y: boxTop, y2: boxTop + boxH, color: '#F2F2F2', stroke: isConstraint ? OKABE_ITO.vermillion : '#BBBBBB' });
    const nameLines = wrapText(stage.name, text.label, boxW - 10, true).slice(0, 2);
    nameLines.forEach((line, k) => {
      labels.push({ x: x + boxW / 2, y: boxTop + 14 + k * (text.label + 3), text: line, bold: true, size: text.label, align: 'center' });
    });
    const blocked = stage.blockedShare > 0 ? `, ${formatPercent(stage.blockedShare)} blocked` : '';
    labels.push({ x: x + boxW / 2, y: boxTop + boxH - 12, text: `${plural(stage.items, 'item')}${blocked}`, size: text.note, color: INK.muted, align: 'center' });
    if (first + i > 0) labels.push({ x: x - gap / 2, y: boxTop + boxH / 2, text: '→', size: text.label, align: 'center', color: INK.muted });
    // the ladder segment of this stage, with its median
    const rung = stage.kind === 'touch' ? touchY : waitY;
    const last = i === map.stages.length - 1;
    boxes.push({ x, x2: x + boxW + (last ? 0 : gap), y: rung, y2: rung + 5, color: stage.kind === 'touch' ? TOUCH_COLOR : WAIT_COLOR });
    labels.push({ x: x + boxW / 2, y: stage.kind === 'touch' ? rung - 9 : rung + 16, text: days(stage.medianDays), size: text.note, align: 'center', bold: isConstraint });
    const next = map.stages[i + 1];
    if (next && next.kind !== stage.kind) {
      boxes.push({ x: x + boxW + gap - 2, x2: x + boxW + gap + 1, y: touchY, y2: waitY + 5, color: '#999999' });
    }
  });
  after.forEach(endBox);
  // each loop: up out of the later box, back along its lane, down into the earlier box with a head
  for (const loop of loops) {
    const laneY = boxTop - 10 - loop.lane * laneH;
    const from = nodes[loop.from]!;
    const to = nodes[loop.to]!;
    const fromX = from.x + from.width / 2 + 8 + loop.lane * 8;
    const toX = to.x + to.width / 2 - 8 - loop.lane * 8;
    const top = loop.from >= first + map.stages.length || loop.from < first ? boxTop + 12 : boxTop;
    const bottom = loop.to >= first + map.stages.length || loop.to < first ? boxTop + 12 : boxTop;
    picture.arrows.push({ x: fromX, y: top, x2: fromX, y2: laneY }, { x: fromX, y: laneY, x2: toX, y2: laneY }, { x: toX, y: laneY, x2: toX, y2: bottom - 8 });
    picture.heads.push({ x: toX, y: bottom - 5 });
    // the count sits just above its lane, so the line does not run through the words
    picture.counts.push({ x: (fromX + toX) / 2, y: laneY - 8, text: plural(loop.items, 'item'), size: text.note });
  }
  const gridLeft = nodes[first]!.x;
  labels.push({ x: gridLeft, y: touchY - 24, text: 'work (touch) ↑', size: text.note, color: INK.muted });
  labels.push({ x: gridLeft, y: waitY + 32, text: 'queue (wait) ↓', size: text.note, color: INK.muted });
  if (loops.length > 0) labels.push({ x: 0, y: 6, text: '↩ rework: moves back to an earlier stage, items that made them', size: text.note, color: INK.muted });
  let y = waitY + 56;
  for (const line of footLines(map, DRAWN_LOOPS.report)) {
    labels.push({ x: 0, y, text: line, size: text.note });
    y += text.note + 7;
  }
  picture.height = y;
  return picture;
}
