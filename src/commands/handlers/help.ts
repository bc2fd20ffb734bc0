import type { Reply } from '../../reply/reply.ts';

/** Every command with one example, in the order a team meets them. */
export const COMMAND_EXAMPLES: { command: string; example: string; what: string }[] = [
  { command: 'help', example: '/flow help', what: 'this list' },
  { command: 'bind', example: '/flow bind checkout', what: 'this channel follows that value stream' },
  { command: 'streams', example: '/flow streams', what: 'the value streams there are' },
  { command: 'leadtime', example: '/flow leadtime 30d', what: 'lead time percentiles and scatterplot' },
  { command: 'cycletime', example: '/flow cycletime 12w', what: 'cycle time percentiles and scatterplot' },
  { command: 'throughput', example: '/flow throughput since 2026-09-01', what: 'items finished per week, with limits' },
  { command: 'wip', example: '/flow wip 30d', what: 'work in progress per day' },
  { command: 'aging', example: '/flow aging', what: 'in-progress items against cycle-time percentiles' },
  { command: 'efficiency', example: '/flow efficiency 30d', what: 'flow efficiency: touch time ÷ lead time' },
  { command: 'stages', example: '/flow stages 30d', what: 'wait and touch time per stage, and the constraint' },
  { command: 'distribution', example: '/flow distribution 12w', what: 'share of features, defects, risks and debt' },
  { command: 'cfd', example: '/flow cfd 12w', what: 'cumulative flow diagram' },
  { command: 'xmr', example: '/flow xmr throughput', what: 'process behaviour chart of leadtime, cycletime, throughput or wip' },
  { command: 'forecast', example: '/flow forecast 30 items', what: 'Monte Carlo: when 30 items are done (or: forecast 14 days)' },
  { command: 'event', example: '/flow event WIP limit 3 in Code review', what: 'log a policy change today (event list: the log)' },
  { command: 'outcome', example: '/flow outcome CHK-12 Checkout abandonment under 20%', what: "record an epic's anticipated outcome" },
  { command: 'ffr', example: '/flow ffr', what: 'Feature Factory Ratio: epics without an anticipated outcome' },
  { command: 'experiment', example: '/flow experiment start WIP limit 3 | measure cycletime | review 2026-10-15', what: 'one policy change at a time (status, end)' },
  { command: 'checkin', example: '/flow checkin monday 09:30 Europe/Berlin', what: 'the weekly 15-minute check-in here (now, off)' },
  { command: 'owner', example: '/flow owner ana@example.com @ana', what: 'who an epic owner is in chat, to ask for outcomes' },
];

/** The command list, with a note when the word typed is not a command. */
export function helpReply(unknown?: string): Reply {
  const intro = unknown
    ? `"${unknown}" is not a /flow command. These are:`
    : 'flow-nudge answers with flow metrics of the value stream this channel follows. Commands:';
  return {
    text: intro,
    ephemeral: true,
    sections: [{ text: COMMAND_EXAMPLES.map((c) => `${c.example} — ${c.what}`).join('\n') }],
    ...(unknown ? { error: { code: 'unknown-command', fix: 'Use one of the commands above, e.g. /flow leadtime 30d.' } } : {}),
  };
}
