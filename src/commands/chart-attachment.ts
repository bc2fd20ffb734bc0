import type { ChartContext, ChartInput, ChartKind, ChartRenderer } from '../charts/index.ts';
import type { ChartPlan } from './metric-answers.ts';
import type { ReplyChart } from '../reply/reply.ts';

/**
 * Renders an answer's chart with src/charts (vega → SVG → PNG) from the core results the answer
 * was computed from, so the history is read and computed once per command. `charts` is the
 * command context's renderer.
 */
export async function renderPlannedChart(charts: Pick<ChartRenderer, 'render'>, plan: ChartPlan, context: ChartContext, name: string): Promise<ReplyChart> {
  const { png, summary } = await charts.render(plan.kind as ChartKind, { ...plan.input, context: { ...context, ...plan.context } } as ChartInput<ChartKind>);
  return { png, summary, kind: plan.kind, filename: `${context.stream}-${name}.png` };
}
