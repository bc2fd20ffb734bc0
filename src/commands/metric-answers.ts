import type { ChartContext, ChartInputs, ChartKind } from '../charts/index.ts';
import {
  agingWip,
  cfd,
  cfdTotals,
  completeIsoWeeks,
  cycleTime,
  flowDistribution,
  flowEfficiency,
  getZoneCalendar,
  leadTime,
  littlesLaw,
  stageBreakdown,
  throughput,
  valueStreamMap,
  wip,
  currentPhaseSignals,
  readStreamXmr,
  xmrWeeksOf,
  type XmrReading,
  type XmrScale,
} from '../core/index.ts';
import { currentPhaseLines, scaleLine } from '../nudges/signal-words.ts';
import { stalledAndBlockedSections } from '../nudges/stalled-and-blocked.ts';
import type { DurationReport, ItemType, XmrResult, XmrRule } from '../core/types.ts';
import type { MetricCommand, XmrSeries } from './parse.ts';
import type { ReplySection } from '../reply/reply.ts';
import type { StreamData } from './stream-data.ts';
import { queueCostSentence } from '../charts/value-stream-map.ts';
import type { ValueStreamMap } from '../core/value-stream-map.ts';

/**
 * A chart to draw: its kind and the core results it is drawn from (the context is added later;
 * `context` overrides parts of it when the chart covers more than the answer's period).
 */
export type ChartPlan = { [K in ChartKind]: { kind: K; input: ChartInputs[K]; context?: Partial<ChartContext> } }[ChartKind];

/** The words of a metric answer and the chart that goes with it. */
export interface MetricAnswer {
  text: string;
  sections: ReplySection[];
  chart: ChartPlan;
}

const DAY = 86_400_000;
const pct = (share: number) => `${Math.round(share * 100)}%`;
const days = (n: number) => `${Number.isInteger(n) ? n : n.toFixed(1)} day${n === 1 ? '' : 's'}`;
const round1 = (n: number) => (Math.round(n * 10) / 10).toString();
const TYPES: ItemType[] = ['feature', 'defect', 'risk', 'debt'];
const TYPE_WORDS: Record<ItemType, string> = { feature: 'Features', defect: 'Defects', risk: 'Risks', debt: 'Debt' };
export const RULE_WORDS: Record<XmrRule, string> = {
  'beyond-limits': 'a point beyond the limits',
  'run-of-8': 'a run of 8 on one side of the centre line',
  '3-of-4': '3 of 4 points near a limit',
};
const SERIES_WORDS: Record<XmrSeries, string> = { leadtime: 'Lead time', cycletime: 'Cycle time', throughput: 'Weekly throughput', wip: 'Weekly WIP' };

const head = (d: StreamData, what: string) => `${what} of ${d.stream.name}, ${d.periodLabel}`;

/**
 * The XmR reading of one series over the data's window: the one reading the alerts and the check-in
 * use too (readStreamXmr: the whole history's limits, cut to the window; lead and cycle time on the
 * log scale unless `scale` says linear).
 */
export function xmrReadingOf(d: StreamData, series: XmrSeries, scale?: XmrScale): XmrReading {
  return readStreamXmr(series, d.timelines, d.stream.map, d.events, d.window, scale);
}

/** The XmR result of one series over the data's window (see xmrReadingOf). */
export function xmrOfSeries(d: StreamData, series: XmrSeries): XmrResult {
  return xmrReadingOf(d, series).result;
}

/** Said under cycle time and aging when the map's pauseAwareCycleTime is on. */
export const PAUSE_AWARE_NOTE = 'Pause-aware cycle time is on (pauseAwareCycleTime in the map): time an item spent back in a backlog stage after it started is left out, in whole days.';

function durationAnswer(d: StreamData, report: DurationReport, what: 'Lead time' | 'Cycle time'): MetricAnswer {
  const chart: ChartPlan = { kind: 'scatter', input: { report, measure: what === 'Lead time' ? 'lead time' : 'cycle time', events: d.events } };
  const p = report.percentiles;
  if (!p) return { text: `${head(d, what)}: no item finished in this period yet.`, sections: [], chart };
  return {
    text: `${head(d, what)}: 85% of the ${report.count} items finished took ${days(p['85'])} or less.`,
    sections: [{ fields: (['50', '70', '85', '95'] as const).map((k) => ({ label: `${k}%`, value: `≤ ${days(p[k])}` })) }],
    chart,
  };
}

/**
 * The XmR answer: the signals of the current phase in plain words and since when (the signals the
 * alert logic reads), its limits, and the chart marking those signals' points only.
 */
export function xmrAnswer(d: StreamData, series: XmrSeries, scale?: XmrScale): MetricAnswer {
  const reading = xmrReadingOf(d, series, scale);
  const result = currentPhaseSignals(reading.result);
  const what = `${SERIES_WORDS[series]} XmR`;
  const chart: ChartPlan = { kind: 'xmr', input: { result, series, nonNegative: true, scale: reading.scale } };
  if (!reading.current) return { text: `${head(d, what)}: not enough data yet (no points; limits need at least 6).`, sections: [], chart };
  const [first, ...more] = currentPhaseLines({ series, result, current: reading.current, scale: reading.scale, timeZone: d.stream.map.timeZone, now: d.now });
  const phase = reading.current.limits;
  if (!phase) return { text: `${head(d, what)}. ${first}`, sections: [], chart };
  const signals = result.signals.length;
  const note = scaleLine(series, reading.scale);
  const inPhase = reading.current.points;
  const log = reading.scale === 'log';
  return {
    text: `${head(d, what)}. ${first}${signals > 0 ? ' What changed?' : ''}`,
    sections: [
      { fields: [
        { label: log ? 'Centre (geometric mean)' : 'Centre', value: round1(phase.center) },
        { label: 'Upper limit', value: round1(phase.unpl) },
        { label: 'Lower limit', value: round1(Math.max(0, phase.lnpl)) },
        { label: 'Points', value: `${inPhase} in the current phase, ${result.points.length} in ${result.phases.length} phase${result.phases.length === 1 ? '' : 's'}` },
      ] },
      ...(more.length > 0 ? [{ text: more.join('\n') }] : []),
      ...(note ? [{ text: note }] : []),
    ],
    chart,
  };
}

/** Weeks a WIP chart shows at least: fewer weekly points would not make a chart. */
const WIP_CHART_MIN_WEEKS = 12;

/** The WIP answer's chart: WIP at the end of each week on its XmR chart (daily WIP is too autocorrelated for limits). */
function wipChart(d: StreamData): ChartPlan {
  const from = Math.min(d.window.from, d.window.to - WIP_CHART_MIN_WEEKS * 7 * DAY);
  const wider = from < d.window.from;
  const data = wider ? { ...d, window: { from, to: d.window.to } } : d;
  const plan = xmrAnswer(data, 'wip').chart;
  return wider ? { ...plan, context: { from, periodLabel: `last ${WIP_CHART_MIN_WEEKS} weeks, end of each week` } } : plan;
}

/** Computes one metric over the data's window: the answer's words and its chart. */
export function metricAnswer(metric: MetricCommand, d: StreamData): MetricAnswer {
  const { timelines, window } = d;
  const map = d.stream.map;
  switch (metric) {
    case 'leadtime':
      return durationAnswer(d, leadTime(timelines, map, window), 'Lead time');
    case 'cycletime': {
      const answer = durationAnswer(d, cycleTime(timelines, map, window), 'Cycle time');
      return map.pauseAwareCycleTime ? { ...answer, sections: [...answer.sections, { text: PAUSE_AWARE_NOTE }] } : answer;
    }
    case 'throughput': {
      const report = throughput(timelines, map, window);
      // averages and the chart: whole weeks only (the week so far is a field, not a low bar)
      // the weeks the XmR reading has (from the stream's first completion), so each bar has its point
      const weeksRead = xmrWeeksOf(timelines, map, window);
      const whole = throughput(timelines, map, weeksRead ?? completeIsoWeeks(window, getZoneCalendar(map.timeZone)));
      const weeks = whole.perWeek.length;
      return {
        // the message says what the chart shows: the whole weeks (the days before the first and the week so far are fields)
        text: `${head(d, 'Throughput')}: ${whole.total} items finished in ${weeks} whole ${weeks === 1 ? 'week' : 'weeks'}, ${round1(weeks > 0 ? whole.total / weeks : 0)} a week on average.`,
        sections: [{ fields: [
          { label: 'In whole weeks', value: String(whole.total) },
          { label: 'This week so far', value: String(report.perWeek.at(-1)?.count ?? 0) },
          { label: 'In the whole period', value: String(report.total) },
        ] }],
        chart: { kind: 'throughput', input: { report: whole, xmr: currentPhaseSignals(xmrReadingOf(d, 'throughput').result), events: d.events } },
      };
    }
    case 'wip': {
      const perDay = wip(timelines, map, window);
      const law = littlesLaw(timelines, map, window);
      const now = perDay.at(-1)?.count ?? 0;
      // the average the chart draws: WIP at the end of each week, its centre line
      const chart = wipChart(d);
      const centre = chart.kind === 'xmr' ? chart.input.result.phases.at(-1)?.center : undefined;
      const average = centre === undefined ? '' : `, ${round1(centre)} on average at the end of each week`;
      return {
        text: `${head(d, 'Work in progress')}: ${now} items in progress now${average}.`,
        sections: [{ fields: [
          { label: 'In progress now', value: String(now) },
          { label: 'Average WIP, end of week', value: centre === undefined ? 'not enough weeks' : round1(centre) },
          { label: "Little's Law check", value: law.ratio === null ? 'not enough data' : `${round1(law.ratio)} (1 means WIP, throughput and cycle time agree)` },
        ] }],
        chart,
      };
    }
    case 'aging': {
      const recent = cycleTime(timelines, map, window);
      const report = agingWip(timelines, map, Math.min(d.now, window.to), recent.percentiles);
      const past85 = report.items.filter((i) => i.beyond !== null).length;
      const past95 = report.items.filter((i) => i.beyond === '95').length;
      const oldest = [...report.items].sort((a, b) => b.ageDays - a.ageDays).slice(0, 5);
      return {
        text: `Aging work of ${d.stream.name}: ${report.items.length} items in progress; ${past85} older than 85% of recent cycle times${past95 > 0 ? `, ${past95} of them past the 95th percentile` : ''}.`,
        sections: [
          ...(oldest.length > 0 ? [{ title: 'Oldest in progress', text: oldest.map((i) => `${i.key} ${i.title} — ${days(i.ageDays)} in ${i.stage}${i.paused ? ' (paused)' : ''}`).join('\n') }] : []),
          ...(map.pauseAwareCycleTime ? [{ text: `${PAUSE_AWARE_NOTE} Paused now: ${report.items.filter((i) => i.paused).length}.` }] : []),
          // blocked and stalled next to the thresholds, in the aging alert's words
          ...stalledAndBlockedSections(timelines, map, Math.min(d.now, window.to)),
        ],
        chart: { kind: 'aging', input: { report, stages: map.stages, finishedCount: recent.count } },
      };
    }
    case 'efficiency': {
      const report = flowEfficiency(timelines, map, window);
      // the stages of the same items over the same time: the items finished in the period, over their whole lead time
      const finished = new Set(report.items.map((item) => item.key));
      const theirs = timelines.filter((t) => finished.has(t.item.key));
      const since = theirs.reduce((min, t) => Math.min(min, t.arrivedAt), window.from);
      const breakdown = stageBreakdown(theirs, map, { from: since, to: window.to }, window.to);
      const efficiency = report.overall === null ? undefined : { overall: report.overall, items: report.items.length };
      return {
        text: report.overall === null
          ? `${head(d, 'Flow efficiency')}: no item finished in this period yet.`
          : `${head(d, 'Flow efficiency')}: ${pct(report.overall)} of the lead time of the ${report.items.length} items finished was work; the rest was waiting in queues or before work started.`,
        sections: [{ fields: [
          { label: 'Items finished', value: String(report.items.length) },
          { label: 'Wait time', value: days(Math.round(breakdown.totalWaitMs / DAY)) },
          { label: 'Touch time', value: days(Math.round(breakdown.totalTouchMs / DAY)) },
        ] }],
        chart: { kind: 'stages', input: { breakdown, ...(efficiency ? { efficiency } : {}) } },
      };
    }
    case 'stages': {
      const at = Math.min(d.now, window.to);
      const breakdown = stageBreakdown(timelines, map, window, at);
      const c = breakdown.constraint;
      const flow = valueStreamMap(timelines, map, window, at, { breakdown });
      return {
        text: c ? `${head(d, 'Stages')}: ${c.sentence}. That stage is the constraint: improve the flow there first.` : `${head(d, 'Stages')}: no waiting recorded in this period.`,
        sections: [
          { fields: breakdown.stages.filter((s) => s.kind === 'wait' || s.kind === 'touch').slice(0, 10).map((s) => {
            const blocked = flow.blocked.find((b) => b.stage === s.stage);
            return {
              label: `${s.stage} (${s.kind})`,
              value: `median ${round1(s.medianMs / DAY)} d${s.kind === 'wait' ? `, ${pct(s.waitShare)} of wait` : ''}${blocked ? `, ${pct(blocked.share)} of its ${s.kind === 'wait' ? 'wait is blocked time' : 'time blocked (counted as wait)'}` : ''}`,
            };
          }) },
          ...whereWorkWaits(flow),
        ],
        chart: { kind: 'stages', input: { breakdown } },
      };
    }
    case 'map': {
      const flow = valueStreamMap(timelines, map, window, Math.min(d.now, window.to));
      const c = flow.constraint;
      return {
        text: `${head(d, 'Value-stream map')}: ${c ? `${c.sentence}.` : 'no waiting recorded in this period.'}${flow.leadTime ? ` Lead time median ${round1(flow.leadTime.median)} d, 85% within ${round1(flow.leadTime.p85)} d; flow efficiency ${flow.flowEfficiency === null ? 'n/a' : pct(flow.flowEfficiency)}.` : ''}`,
        sections: whereWorkWaits(flow),
        chart: { kind: 'map', input: { map: flow } },
      };
    }
    case 'distribution': {
      const report = flowDistribution(timelines, map, window, window.to - window.from > 180 * DAY ? 'month' : 'week');
      const total = TYPES.reduce((s, t) => s + report.totals[t], 0);
      return {
        text: total === 0 ? `${head(d, 'Flow distribution')}: no item finished in this period yet.` : `${head(d, 'Flow distribution')}: of ${total} items finished, ${TYPES.map((t) => `${pct(report.shares[t])} ${TYPE_WORDS[t].toLowerCase()}`).join(', ')}.`,
        sections: [{ title: 'In progress now (flow load)', fields: TYPES.map((t) => ({ label: TYPE_WORDS[t], value: String(report.flowLoad[t]) })) }],
        chart: { kind: 'distribution', input: { report } },
      };
    }
    case 'cfd': {
      // the numbers the chart's days give: one reading for the message and the chart
      if (d.leftOut === null) throw new Error('a CFD from a windowed history needs the items it left out: loadStreamData(..., { leftOut: true })');
      const perDay = cfd(timelines, map, window, d.leftOut);
      const totals = cfdTotals(perDay, map.stages);
      const change = totals.inProgressLast - totals.inProgressFirst;
      return {
        text: `${head(d, 'Cumulative flow')}: ${totals.arrived} items arrived and ${totals.finished} finished; work in progress ${change > 0 ? `grew from ${totals.inProgressFirst} to ${totals.inProgressLast}` : change < 0 ? `shrank from ${totals.inProgressFirst} to ${totals.inProgressLast}` : `stayed at ${totals.inProgressLast}`}.`,
        sections: [],
        chart: { kind: 'cfd', input: { days: perDay, stages: map.stages, events: d.events } },
      };
    }
  }
}

/** The sections of where work waits beyond the stage times: rework loops, stalled work, and what the constraint's queue costs. */
function whereWorkWaits(flow: ValueStreamMap): ReplySection[] {
  const sections: ReplySection[] = [];
  if (flow.rework.length > 0) {
    sections.push({
      title: 'Rework (moves back to an earlier stage)',
      text: flow.rework.slice(0, 5).map((loop) => `${loop.from} → ${loop.to}: ${loop.items} item${loop.items === 1 ? '' : 's'}, ${pct(loop.shareOfPassed)} of those in ${loop.from}`).join('\n'),
    });
  }
  if (flow.stalled > 0) sections.push({ title: 'Stalled', text: `${flow.stalled} item${flow.stalled === 1 ? '' : 's'} in progress with no status change for days: /flow aging lists them.` });
  const cost = queueCostSentence(flow);
  if (cost) sections.push({ title: 'Cost of delay', text: cost });
  return sections;
}
