import type { DurationReport, ItemType, XmrResult, XmrRule } from '../core/types.ts';
import type { MetricCommand, XmrSeries } from './parse.ts';
import type { ReplySection } from './reply.ts';
import type { StreamReports } from './stream-reports.ts';

/** The words of a metric answer (the chart comes separately). */
export interface MetricText {
  text: string;
  sections: ReplySection[];
}

const pct = (share: number) => `${Math.round(share * 100)}%`;
const days = (n: number) => `${Number.isInteger(n) ? n : n.toFixed(1)} day${n === 1 ? '' : 's'}`;
const round1 = (n: number) => (Math.round(n * 10) / 10).toString();
const TYPE_WORDS: Record<ItemType, string> = { feature: 'Features', defect: 'Defects', risk: 'Risks', debt: 'Debt' };
export const RULE_WORDS: Record<XmrRule, string> = {
  'beyond-limits': 'a point beyond the limits',
  'run-of-8': 'a run of 8 on one side of the centre line',
  '3-of-4': '3 of 4 points near a limit',
};

function head(r: StreamReports, what: string): string {
  return `${what} of ${r.stream.name}, ${r.periodLabel}`;
}

function durationText(r: StreamReports, report: DurationReport, what: string): MetricText {
  const p = report.percentiles;
  if (!p) return { text: `${head(r, what)}: no item finished in this period yet.`, sections: [] };
  return {
    text: `${head(r, what)}: 85% of the ${report.count} items finished took ${days(p['85'])} or less.`,
    sections: [
      {
        fields: [
          { label: '50%', value: `≤ ${days(p['50'])}` },
          { label: '70%', value: `≤ ${days(p['70'])}` },
          { label: '85%', value: `≤ ${days(p['85'])}` },
          { label: '95%', value: `≤ ${days(p['95'])}` },
        ],
      },
    ],
  };
}

/** The last signal of an XmR result in words, or null when there is none. */
export function lastSignalWords(result: XmrResult): string | null {
  const signal = result.signals.at(-1);
  if (!signal) return null;
  const first = result.points[signal.points[0]!];
  const when = first?.label ? ` from ${first.label}` : '';
  return `${RULE_WORDS[signal.rule]} (${signal.side} the centre line)${when}`;
}

/** The XmR answer: limits of the latest phase and the signals in words. */
export function xmrText(r: StreamReports, series: XmrSeries): MetricText {
  const key = ({ leadtime: 'leadTime', cycletime: 'cycleTime', throughput: 'throughput', wip: 'wip' } as const)[series];
  const result = r.reports.xmr[key];
  const what = ({ leadtime: 'Lead time', cycletime: 'Cycle time', throughput: 'Weekly throughput', wip: 'Daily WIP' } as const)[series];
  const phase = result.phases.at(-1);
  if (!phase) {
    return { text: `${head(r, `${what} XmR`)}: not enough data yet (${result.points.length} points; limits need at least 6).`, sections: [] };
  }
  const last = lastSignalWords(result);
  const text = result.signals.length === 0
    ? `${head(r, `${what} XmR`)}: no signal, only routine variation. React to signals, not to single points.`
    : `${head(r, `${what} XmR`)}: ${result.signals.length} signal${result.signals.length === 1 ? '' : 's'}; the latest is ${last}. What changed?`;
  return {
    text,
    sections: [
      {
        fields: [
          { label: 'Centre', value: round1(phase.center) },
          { label: 'Upper limit', value: round1(phase.unpl) },
          { label: 'Lower limit', value: round1(Math.max(0, phase.lnpl)) },
          { label: 'Points', value: `${result.points.length} in ${result.phases.length} phase${result.phases.length === 1 ? '' : 's'}` },
        ],
      },
    ],
  };
}

/** The answer text of one metric command. */
export function metricText(metric: MetricCommand, r: StreamReports): MetricText {
  const rep = r.reports;
  switch (metric) {
    case 'leadtime':
      return durationText(r, rep.leadTime, 'Lead time');
    case 'cycletime':
      return durationText(r, rep.cycleTime, 'Cycle time');
    case 'throughput': {
      const weeks = rep.throughput.perWeek;
      const perWeek = weeks.length > 0 ? rep.throughput.total / weeks.length : 0;
      const last = weeks.at(-1);
      return {
        text: `${head(r, 'Throughput')}: ${rep.throughput.total} items finished, ${round1(perWeek)} a week on average.`,
        sections: [{ fields: [{ label: 'Total', value: String(rep.throughput.total) }, { label: 'This week so far', value: String(last?.count ?? 0) }, { label: 'Weeks', value: String(weeks.length) }] }],
      };
    }
    case 'wip': {
      const now = rep.wip.at(-1)?.count ?? 0;
      const ratio = rep.littlesLaw.ratio;
      return {
        text: `${head(r, 'Work in progress')}: ${now} items in progress now, ${round1(rep.littlesLaw.averageWip)} on average.`,
        sections: [{ fields: [
          { label: 'In progress now', value: String(now) },
          { label: 'Average WIP', value: round1(rep.littlesLaw.averageWip) },
          { label: "Little's Law check", value: ratio === null ? 'not enough data' : `${round1(ratio)} (1 means WIP, throughput and cycle time agree)` },
        ] }],
      };
    }
    case 'aging': {
      const items = rep.aging.items;
      const past85 = items.filter((i) => i.beyond !== null).length;
      const past95 = items.filter((i) => i.beyond === '95').length;
      const oldest = [...items].sort((a, b) => b.ageDays - a.ageDays).slice(0, 5);
      return {
        text: `Aging work of ${r.stream.name}: ${items.length} items in progress; ${past85} older than 85% of recent cycle times${past95 > 0 ? `, ${past95} of them past the 95th percentile` : ''}.`,
        sections: oldest.length > 0 ? [{ title: 'Oldest in progress', text: oldest.map((i) => `${i.key} ${i.title} — ${days(i.ageDays)} in ${i.stage}`).join('\n') }] : [],
      };
    }
    case 'efficiency': {
      const overall = rep.flowEfficiency.overall;
      return {
        text: overall === null
          ? `${head(r, 'Flow efficiency')}: no item finished in this period yet.`
          : `${head(r, 'Flow efficiency')}: ${pct(overall)} of lead time was work; the rest was waiting.`,
        sections: [{ fields: [
          { label: 'Items', value: String(rep.flowEfficiency.items.length) },
          { label: 'Wait time', value: days(Math.round(rep.stages.totalWaitMs / 86_400_000)) },
          { label: 'Touch time', value: days(Math.round(rep.stages.totalTouchMs / 86_400_000)) },
        ] }],
      };
    }
    case 'stages': {
      const c = rep.stages.constraint;
      return {
        text: c ? `${head(r, 'Stages')}: ${c.sentence}. That stage is the constraint: improve the flow there first.` : `${head(r, 'Stages')}: no waiting recorded in this period.`,
        sections: [{ fields: rep.stages.stages.filter((s) => s.kind === 'wait' || s.kind === 'touch').slice(0, 10).map((s) => ({
          label: `${s.stage} (${s.kind})`,
          value: `median ${round1(s.medianMs / 86_400_000)} d${s.kind === 'wait' ? `, ${pct(s.waitShare)} of wait` : ''}`,
        })) }],
      };
    }
    case 'distribution': {
      const d = rep.distribution;
      const total = Object.values(d.totals).reduce((a, b) => a + b, 0);
      return {
        text: total === 0 ? `${head(r, 'Flow distribution')}: no item finished in this period yet.` : `${head(r, 'Flow distribution')}: of ${total} items finished, ${(['feature', 'defect', 'risk', 'debt'] as const).map((t) => `${pct(d.shares[t])} ${TYPE_WORDS[t].toLowerCase()}`).join(', ')}.`,
        sections: [{ title: 'In progress now (flow load)', fields: (['feature', 'defect', 'risk', 'debt'] as const).map((t) => ({ label: TYPE_WORDS[t], value: String(d.flowLoad[t]) })) }],
      };
    }
    case 'cfd': {
      const arrivals = rep.netFlow.reduce((s, w) => s + w.arrivals, 0);
      const done = rep.netFlow.reduce((s, w) => s + w.completions, 0);
      const net = arrivals - done;
      return {
        text: `${head(r, 'Cumulative flow')}: ${arrivals} items arrived and ${done} finished; ${net > 0 ? `work in the system grew by ${net}` : net < 0 ? `work in the system shrank by ${-net}` : 'arrivals and departures balance'}.`,
        sections: [],
      };
    }
  }
}
