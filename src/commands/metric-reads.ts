/**
 * Which history each metric answer reads (issue 18): a windowed one, a compact one, or else the
 * whole history. src/commands/handlers/metrics.ts loads by these; the tests named below check that
 * each answer is the same as from the whole history.
 */
import type { MetricCommand } from './parse.ts';

/**
 * The metrics measured only over their window: items finished in it, in progress or moving during
 * it. They are answered from a windowed history (loadStreamData's `windowed`); the same answer as
 * from the whole history, which test/commands/windowed-answers.test.ts checks metric by metric.
 * The CFD is among them: its done bands start from the count of the items the windowed read left
 * out (StreamData.leftOut). Throughput and WIP are not: their charts carry the XmR reading, whose
 * limits come from the whole history.
 */
export const WINDOWED_METRICS: ReadonlySet<MetricCommand> = new Set<MetricCommand>(['leadtime', 'cycletime', 'aging', 'efficiency', 'stages', 'map', 'distribution', 'cfd']);

/**
 * The whole-history answers (throughput and WIP with their XmR readings, the XmR charts, the
 * forecast) read only when each item started, finished and was in progress or paused: a compact
 * history answers them (loadStreamData's `compact`) with the same words and charts as the whole
 * history, which test/commands/compact-answers.test.ts checks; every other measure refuses it.
 */
export const COMPACT_METRICS: ReadonlySet<MetricCommand> = new Set<MetricCommand>(['throughput', 'wip']);
