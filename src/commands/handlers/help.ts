import type { Reply } from '../../reply/reply.ts';

/** The groups `help` shows the commands in, in the order a team meets them. */
export const COMMAND_GROUPS = ['Metrics', 'XmR and forecast', 'Outcomes and experiments', 'Check-in and setup'] as const;
export type CommandGroup = (typeof COMMAND_GROUPS)[number];

/** Every command with one example and its group. */
export const COMMAND_EXAMPLES: { command: string; example: string; what: string; group: CommandGroup }[] = [
  { command: 'leadtime', example: '/flow leadtime 30d', what: 'lead time percentiles and scatterplot', group: 'Metrics' },
  { command: 'cycletime', example: '/flow cycletime 12w', what: 'cycle time percentiles and scatterplot', group: 'Metrics' },
  { command: 'throughput', example: '/flow throughput since 2026-09-01', what: 'items finished per week, with limits', group: 'Metrics' },
  { command: 'wip', example: '/flow wip 30d', what: 'work in progress now and on average, with WIP at the end of each week', group: 'Metrics' },
  { command: 'aging', example: '/flow aging', what: 'in-progress items against cycle-time percentiles', group: 'Metrics' },
  { command: 'efficiency', example: '/flow efficiency 30d', what: 'flow efficiency: touch time ÷ lead time', group: 'Metrics' },
  { command: 'stages', example: '/flow stages 30d', what: 'wait and touch time per stage, and the constraint', group: 'Metrics' },
  { command: 'map', example: '/flow map 90d', what: 'the value-stream map: stages, touch and wait, rework, the constraint and its cost', group: 'Metrics' },
  { command: 'distribution', example: '/flow distribution 12w', what: 'share of features, defects, risks and debt', group: 'Metrics' },
  { command: 'cfd', example: '/flow cfd 12w', what: 'cumulative flow diagram', group: 'Metrics' },
  { command: 'xmr', example: '/flow xmr throughput', what: 'process behaviour chart of leadtime, cycletime, throughput or wip: the signals of the current phase (leadtime raw: plain days)', group: 'XmR and forecast' },
  { command: 'baseline', example: '/flow baseline settled after the reorg', what: 'restart the XmR limits from today (or baseline YYYY-MM-DD …) without a policy change', group: 'XmR and forecast' },
  { command: 'forecast', example: '/flow forecast 30 items', what: 'Monte Carlo: when 30 items are done (or: forecast 14 days)', group: 'XmR and forecast' },
  { command: 'outcome', example: '/flow outcome CHK-12 Checkout abandonment under 20%', what: "record an epic's anticipated outcome", group: 'Outcomes and experiments' },
  { command: 'outcomes', example: '/flow outcomes', what: 'time to outcome: days from an epic to its recorded actual outcome, anticipated beside actual, and what is not yet learned', group: 'Outcomes and experiments' },
  { command: 'ffr', example: '/flow ffr', what: 'Feature Factory Ratio: epics without an anticipated outcome', group: 'Outcomes and experiments' },
  { command: 'experiment', example: '/flow experiment start WIP limit 3 | measure cycletime | review 2026-10-15', what: 'one policy change at a time (status, end)', group: 'Outcomes and experiments' },
  { command: 'event', example: '/flow event WIP limit 3 in Code review', what: 'log a policy change today (event list: the log)', group: 'Outcomes and experiments' },
  { command: 'checkin', example: '/flow checkin monday 09:30 Europe/Berlin', what: 'the weekly 15-minute check-in here (now, off)', group: 'Check-in and setup' },
  { command: 'bind', example: '/flow bind checkout', what: 'this channel follows that value stream', group: 'Check-in and setup' },
  { command: 'streams', example: '/flow streams', what: 'the value streams there are', group: 'Check-in and setup' },
  { command: 'owner', example: '/flow owner ana@example.com @ana', what: 'who an epic owner is in chat (a mention or an e-mail), to ask for outcomes', group: 'Check-in and setup' },
  { command: 'help', example: '/flow help', what: 'this list', group: 'Check-in and setup' },
];

/** The command list, one section per group, with a note when the word typed is not a command. */
export function helpReply(unknown?: string): Reply {
  const intro = unknown
    ? `"${unknown}" is not a /flow command. These are:`
    : 'flow-nudge answers with flow metrics of the value stream this channel follows. Commands:';
  return {
    text: intro,
    ephemeral: true,
    sections: COMMAND_GROUPS.map((group) => ({
      title: group,
      text: COMMAND_EXAMPLES.filter((c) => c.group === group).map((c) => `${c.example} — ${c.what}`).join('\n'),
    })),
    ...(unknown ? { error: { code: 'unknown-command', fix: 'Use one of the commands above, e.g. /flow leadtime 30d.' } } : {}),
  };
}
