/**
 * Charts attached to nudges: the XmR chart of a signal, the aging chart. Behind an interface
 * so that a context without charts (the simulation, text-only tests) passes null.
 */
import type { AgingReport, Stage, XmrResult } from '../core/types.ts';
import type { ReplyChart } from '../reply/reply.ts';
import { agingChart } from '../charts/aging.ts';
import type { ChartRenderer } from '../charts/index.ts';
import { xmrChart } from '../charts/xmr.ts';
import { currentPhaseSignals, defaultXmrScale } from '../core/xmr-reading.ts';
import type { SignalSeriesKind } from './signal-series.ts';

export interface NudgeChartFrame {
  stream: string;
  timeZone: string;
  from: number;
  to: number;
  periodLabel: string;
}

export interface NudgeCharts {
  xmr(input: { result: XmrResult; series: SignalSeriesKind; summary: string }, frame: NudgeChartFrame): Promise<ReplyChart>;
  aging(input: { report: AgingReport; stages: readonly Pick<Stage, 'name' | 'kind'>[]; finishedCount: number }, frame: NudgeChartFrame): Promise<ReplyChart>;
}

/**
 * Renders with the program's chart renderer (src/charts: Vega-Lite → PNG). The message text
 * carries the nudge's own words; the chart's summary becomes the image's alt text.
 * @example const chart = await createNudgeCharts(renderer).aging({ report, stages: map.stages, finishedCount: 40 }, frame);
 */
export function createNudgeCharts(renderer: Pick<ChartRenderer, 'renderSpec'>): NudgeCharts {
  return {
    async xmr(input, frame) {
      // the current phase's signals are marked, as the answers and the alert tell them (readXmr);
      // weekly WIP is drawn as a series of dated points, like throughput
      const built = xmrChart({ result: currentPhaseSignals(input.result), series: input.series, nonNegative: true, scale: defaultXmrScale(input.series) }, frame);
      const { png } = await renderer.renderSpec(built.spec);
      return { png, summary: `${input.summary} ${built.summary}`.trim(), kind: 'xmr', filename: `${frame.stream}-${input.series}-xmr.png` };
    },
    async aging(input, frame) {
      const built = agingChart({ report: input.report, stages: input.stages, finishedCount: input.finishedCount }, frame);
      const { png } = await renderer.renderSpec(built.spec);
      return { png, summary: built.summary, kind: 'aging', filename: `${frame.stream}-aging.png` };
    },
  };
}
